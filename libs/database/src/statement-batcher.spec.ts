import { describe, expect, it } from '@jest/globals';
import { StatementBatcher } from './statement-batcher.js';

/** A statement that takes `ms` and records the inputs of each run. */
function doubling(ms = 20) {
  const runs: number[][] = [];
  const batcher = new StatementBatcher(
    async (inputs: number[]) => {
      runs.push(inputs);
      await new Promise((resolve) => setTimeout(resolve, ms));
      return inputs.map((n) => n * 2);
    },
    { maxBatch: 3 },
  );
  return { runs, batcher };
}

describe('StatementBatcher', () => {
  it('runs calls made together in one run, and answers each its own output', async () => {
    const { runs, batcher } = doubling();
    await expect(Promise.all([batcher.call(1), batcher.call(2), batcher.call(3)])).resolves.toEqual([2, 4, 6]);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it('collects calls made while a run is under way for the next run, at most maxBatch at a time', async () => {
    const { runs, batcher } = doubling();
    const first = batcher.call(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4, 5].map((n) => batcher.call(n));
    await expect(Promise.all([first, ...later])).resolves.toEqual([2, 4, 6, 8, 10]);
    expect(runs).toEqual([[1], [2, 3, 4], [5]]);
  });

  it('runs a lone call at once', async () => {
    const { runs, batcher } = doubling(0);
    const started = Date.now();
    await expect(batcher.call(7)).resolves.toBe(14);
    expect(Date.now() - started).toBeLessThan(50);
    expect(runs).toEqual([[7]]);
  });

  it('rejects every call of a failed run, and goes on with the next', async () => {
    let fail = true;
    const batcher = new StatementBatcher(async (inputs: string[]) => {
      if (fail) throw new Error('connection lost');
      return inputs.map((s) => s.toUpperCase());
    });
    const failed = [batcher.call('a'), batcher.call('b')].map((p) => p.catch((e: Error) => e.message));
    await expect(Promise.all(failed)).resolves.toEqual(['connection lost', 'connection lost']);
    fail = false;
    await expect(batcher.call('c')).resolves.toBe('C');
  });

  it('refuses a run that answers a different number of outputs', async () => {
    const batcher = new StatementBatcher(async (inputs: number[]) => inputs.slice(1));
    await expect(Promise.all([batcher.call(1), batcher.call(2)])).rejects.toThrow('a batch of 2 got 1 answers');
  });
});
