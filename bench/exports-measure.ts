/**
 * One measurement of `npm run bench:exports`, run in a fresh process (`node --expose-gc
 * dist/bench/exports.js --measure <format>`, with DATABASE_URL etc. in the environment) so that
 * its peak memory is the export's alone. Prints one line `BENCH_RESULT {...}` on stdout.
 *
 * `<format>` is a report format, or `data`: the campaign list is built and its rows read, but
 * nothing is rendered (the queries, hydration and row assembly only).
 *
 * The report is written into a sink that counts the bytes and keeps the first and last ones (to
 * check the file's signature) and discards the rest; with BENCH_OUTPUT_DIR set, the file is
 * written there instead, for inspection. Memory is sampled every 10 ms by a timer and, since a
 * renderer may not give timers a turn for a while, also on every write (at most every 10 ms).
 */
import 'reflect-metadata';
import { AppConfigModule } from '#config';
import { DatabaseModule } from '#database';
import { EncryptionModule } from '#encryption';
import { QueueModule } from '#queue';
import {
  CampaignListBuilder,
  type ExportRequest,
  ExportsModule,
  type QueryClock,
  type ReportFormat,
  ReportProducer,
} from '#reports';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import pg from 'pg';
import { DataSource } from 'typeorm';

/** What the worker's export processor has, minus the processors and BullMQ workers. */
@Module({ imports: [AppConfigModule, DatabaseModule, EncryptionModule, QueueModule, ExportsModule] })
class MeasureModule {}

export type MeasuredFormat = ReportFormat | 'data';

export interface Measurement {
  format: MeasuredFormat;
  wallMs: number;
  queryMs: number;
  /** Statements sent to PostgreSQL during the export (BEGIN/COMMIT included). */
  queries: number;
  /**
   * Time from sending each statement until pg resolved it (PostgreSQL, the socket and pg's row parsing), summed: the
   * part of `queryMs` that is not TypeORM building the SQL and turning rows into entities.
   */
  driverMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  bytes: number;
  /** PDF only: pages in the file. */
  pages: number | null;
  valid: boolean;
  baseline: { rssMB: number; heapUsedMB: number };
  peak: { rssMB: number; heapUsedMB: number; externalMB: number; maxRssMB: number; samples: number };
  /** The same export again in the same process (JIT warm, fonts and modules loaded): time only. */
  warm: { wallMs: number; queryMs: number } | null;
}

const MB = 2 ** 20;
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

class MemoryPeak {
  rss = 0;
  heapUsed = 0;
  external = 0;
  samples = 0;
  private last = 0;

  sample(): void {
    const m = process.memoryUsage();
    this.rss = Math.max(this.rss, m.rss);
    this.heapUsed = Math.max(this.heapUsed, m.heapUsed);
    this.external = Math.max(this.external, m.external);
    this.samples += 1;
    this.last = performance.now();
  }

  /** From the output path: sample if the timer has not for 10 ms. */
  maybeSample(): void {
    if (performance.now() - this.last >= 10) this.sample();
  }
}

/** Counts and discards (or writes to `file`), keeping the head and tail for a signature check. */
class Sink extends Writable {
  bytes = 0;
  head = Buffer.alloc(0);
  tail = Buffer.alloc(0);
  pages = 0;

  constructor(
    private readonly memory: MemoryPeak | null,
    private readonly countPages: boolean,
    private readonly file: WriteStream | null,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    if (this.head.length < 64) this.head = Buffer.concat([this.head, chunk.subarray(0, 64)]).subarray(0, 64);
    this.tail =
      chunk.length >= 1024
        ? Buffer.from(chunk.subarray(chunk.length - 1024))
        : Buffer.concat([this.tail, chunk]).subarray(-1024);
    if (this.countPages) {
      // pdfkit writes page objects uncompressed: `/Type /Page` then a newline (`/Type /Pages` is the tree).
      for (let at = chunk.indexOf('/Type /Page\n'); at !== -1; at = chunk.indexOf('/Type /Page\n', at + 1)) {
        this.pages += 1;
      }
    }
    this.memory?.maybeSample();
    if (!this.file || this.file.write(chunk)) callback();
    else this.file.once('drain', () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.file) this.file.end(() => callback());
    else callback();
  }

  valid(format: MeasuredFormat): boolean {
    const head = this.head.toString('latin1');
    const tail = this.tail.toString('latin1');
    const zip = head.startsWith('PK\x03\x04') && tail.includes('PK\x05\x06');
    switch (format) {
      case 'pdf':
        return head.startsWith('%PDF-') && tail.trimEnd().endsWith('%%EOF');
      case 'xlsx':
      case 'docx':
        return zip;
      case 'html':
        return /^<!doctype html>/i.test(head) && tail.trimEnd().endsWith('</html>');
      case 'json':
        return head.trimStart().startsWith('{') && tail.trimEnd().endsWith('}');
      case 'csv':
        return this.bytes > 0 && tail.endsWith('\n');
      case 'data':
        return true;
    }
  }
}

/** Counts and times statements at the driver, whoever sends them (one at a time: one transaction). */
function countQueries(): { count: number; ms: number } {
  const counter = { count: 0, ms: 0 };
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    counter.count += 1;
    const started = performance.now();
    const result = original.apply(this, args);
    if (result instanceof Promise) {
      const done = () => (counter.ms += performance.now() - started);
      result.then(done, done);
    }
    return result;
  };
  return counter;
}

const request = (format: ReportFormat): ExportRequest => ({
  kind: 'campaign',
  format,
  language: 'en',
  audience: 'public',
  personId: null,
  filter: { country: 'KZ' },
});

export async function measure(format: MeasuredFormat, outputDir: string | null): Promise<Measurement> {
  const queries = countQueries();
  const app = await NestFactory.createApplicationContext(MeasureModule, { logger: ['error', 'warn'] });
  try {
    const producer = app.get(ReportProducer);
    const builder = app.get(CampaignListBuilder);
    const dataSource = app.get(DataSource);

    /** One export into `sink`; the `data` pseudo-format reads every row and renders nothing. */
    const exportOnce = async (sink: Sink, clock: QueryClock): Promise<void> => {
      if (format !== 'data') {
        await producer.produce(request(format), sink, { clock });
        return;
      }
      await dataSource.transaction('REPEATABLE READ', async (manager) => {
        await manager.query('SET TRANSACTION READ ONLY');
        const data = await builder.build(manager, { country: 'KZ' }, 'public', 'en', { clock });
        for await (const row of data.rows) sink.write(Buffer.from(row.name));
      });
      sink.end();
    };

    (globalThis as { gc?: () => void }).gc?.();
    const base = process.memoryUsage();
    const memory = new MemoryPeak();
    memory.sample();
    const timer = setInterval(() => memory.sample(), 10);
    const file = outputDir ? createWriteStream(join(outputDir, `campaign-list.${format}`)) : null;
    const sink = new Sink(memory, format === 'pdf', file);
    const clock: QueryClock = { queryMs: 0 };
    queries.count = 0;
    queries.ms = 0;
    const cpu = process.cpuUsage();
    const started = performance.now();
    await exportOnce(sink, clock);
    if (!sink.writableFinished) await new Promise((resolve) => sink.once('finish', resolve));
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const statements = queries.count;
    const driverMs = queries.ms;
    clearInterval(timer);
    memory.sample();
    const maxRss = process.resourceUsage().maxRSS * 1024;

    let warm: Measurement['warm'] = null;
    if (process.env.BENCH_WARM !== '0') {
      const again = new Sink(null, false, null);
      const warmClock: QueryClock = { queryMs: 0 };
      const warmStarted = performance.now();
      await exportOnce(again, warmClock);
      if (!again.writableFinished) await new Promise((resolve) => again.once('finish', resolve));
      warm = { wallMs: round(performance.now() - warmStarted, 0), queryMs: round(warmClock.queryMs, 0) };
    }

    return {
      format,
      wallMs: round(wallMs, 0),
      queryMs: round(clock.queryMs, 0),
      queries: statements,
      driverMs: round(driverMs, 0),
      cpuUserMs: round(used.user / 1000, 0),
      cpuSystemMs: round(used.system / 1000, 0),
      bytes: sink.bytes,
      pages: format === 'pdf' ? sink.pages : null,
      valid: sink.valid(format),
      baseline: { rssMB: round(base.rss / MB), heapUsedMB: round(base.heapUsed / MB) },
      peak: {
        rssMB: round(memory.rss / MB),
        heapUsedMB: round(memory.heapUsed / MB),
        externalMB: round(memory.external / MB),
        maxRssMB: round(maxRss / MB),
        samples: memory.samples,
      },
      warm,
    };
  } finally {
    await app.close();
  }
}
