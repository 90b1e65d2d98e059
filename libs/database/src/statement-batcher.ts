interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

export interface StatementBatcherOptions {
  /** The most inputs one run takes (default 100). */
  maxBatch?: number;
  /** How many runs may be in flight at once (default 1). */
  maxInFlight?: number;
}

/**
 * Runs one statement for many concurrent callers. A call waits for the current turn of the event
 * loop to end, so that calls made together go together; while `maxInFlight` runs are under way,
 * new calls are collected and go in the next run as soon as one ends. A lone call thus runs at
 * once, and under load each run carries what arrived during the previous one: one round trip,
 * one statement and one commit for many jobs instead of one each.
 *
 * `run` answers the inputs in order (`outputs[i]` for `inputs[i]`). If it throws, every call of
 * that run is rejected with the error.
 */
export class StatementBatcher<I, O> {
  private readonly waiting: Array<Waiting<I, O>> = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly run: (inputs: I[]) => Promise<O[]>,
    options: StatementBatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 100;
    this.maxInFlight = options.maxInFlight ?? 1;
  }

  call(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
        void this.flush(this.waiting.splice(0, this.maxBatch));
      }
    });
  }

  private async flush(batch: Array<Waiting<I, O>>): Promise<void> {
    this.inFlight += 1;
    try {
      const outputs = await this.run(batch.map((w) => w.input));
      if (outputs.length !== batch.length) throw new Error(`a batch of ${batch.length} got ${outputs.length} answers`);
      batch.forEach((w, i) => w.resolve(outputs[i] as O));
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      this.inFlight -= 1;
      this.schedule();
    }
  }
}
