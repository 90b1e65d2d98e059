import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { readRows } from './read-rows.js';

describe('readRows', () => {
  it('streams a CSV file: it reads a few chunks ahead of the rows it yields, not the whole file', async () => {
    const rowsPerChunk = 1000;
    const chunks = 40;
    const chunk = Buffer.from(`Zhanbolat Mamay,${'a'.repeat(80)}\n`.repeat(rowsPerChunk));
    let pulled = 0;
    const input = new Readable({
      read() {
        pulled += 1;
        if (pulled === 1) this.push(Buffer.from('name,note\n'));
        else this.push(pulled <= chunks + 1 ? chunk : null);
      },
    });
    const rows = readRows(input, 'csv');
    expect((await rows.next()).value).toEqual({ row: 1, cells: ['name', 'note'] });
    expect((await rows.next()).value).toMatchObject({ row: 2, cells: ['Zhanbolat Mamay', 'a'.repeat(80)] });
    // The chunk of that row, and a few more in the streams' buffers (about 100 KB each).
    expect(pulled).toBeLessThanOrEqual(6);
    let last = 2;
    let inOrder = true;
    for await (const row of rows) {
      inOrder &&= row.row === last + 1;
      last = row.row;
    }
    expect(inOrder).toBe(true);
    expect(last).toBe(1 + chunks * rowsPerChunk);
  });
});
