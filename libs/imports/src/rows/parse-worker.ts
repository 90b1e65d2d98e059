import 'reflect-metadata';
import { parentPort } from 'node:worker_threads';
import type { Header } from './columns.js';
import { parseRow, type RawRow } from './row-parser.js';

/** A worker thread that checks rows (`parseRow`) for `RowParsers`, batch by batch, in order. */
parentPort!.on('message', (message: { id: number; header: Header; rows: RawRow[] }) => {
  try {
    parentPort!.postMessage({ id: message.id, results: message.rows.map((row) => parseRow(message.header, row)) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: (error as Error).message });
  }
});
