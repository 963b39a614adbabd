export interface RequestBatcherOptions<Input, Output> {
  /**
   * Runs one batch: resolves to one output per input, in input order. It must be safe to run an
   * input again on its own (the batcher does that when a batch fails).
   */
  run(inputs: Input[]): Promise<Output[]>;
  /** Largest number of inputs in one batch. Default: 64. */
  maxBatchSize?: number;
  /** Batches running at once; more requests wait and form the next batch. Default: 2. */
  maxInFlight?: number;
  /**
   * True for errors that say nothing about any one input (e.g. the database is unreachable):
   * every request of the batch then fails with it. Any other error of a batch of several makes
   * the batcher run each of its inputs alone, so that one bad input fails only its own request.
   * Default: no error is shared.
   */
  isSharedFailure?: (error: unknown) => boolean;
}

interface PendingRequest<Input, Output> {
  input: Input;
  resolve(output: Output): void;
  reject(error: unknown): void;
}

/**
 * Turns requests made at about the same time into one call of `run`: the requests made in the same
 * turn of the event loop, and those made while `maxInFlight` batches were running, go together.
 * A lone request waits for nothing but that turn, so the batches grow with the load and latency
 * does not. Used by the worker so that concurrent jobs share their SQL statements
 * (docs/reliability.md: each job is still acknowledged only after its own row is committed).
 */
export class RequestBatcher<Input, Output> {
  private pending: PendingRequest<Input, Output>[] = [];
  private inFlight = 0;
  private flushScheduled = false;
  private readonly maxBatchSize: number;
  private readonly maxInFlight: number;

  constructor(private readonly options: RequestBatcherOptions<Input, Output>) {
    this.maxBatchSize = options.maxBatchSize ?? 64;
    this.maxInFlight = options.maxInFlight ?? 2;
  }

  /** Resolves to this input's output once the batch it joined has run. */
  request(input: Input): Promise<Output> {
    return new Promise<Output>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.inFlight >= this.maxInFlight) return;
    this.flushScheduled = true;
    // After the current turn: requests made by other jobs in the same turn join this batch.
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.pending.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.pending.splice(0, this.maxBatchSize);
      this.inFlight += 1;
      void this.runBatch(batch).finally(() => {
        this.inFlight -= 1;
        if (this.pending.length > 0) this.scheduleFlush();
      });
    }
  }

  private async runBatch(batch: PendingRequest<Input, Output>[]): Promise<void> {
    try {
      const outputs = await this.options.run(batch.map((request) => request.input));
      if (outputs.length !== batch.length) {
        throw new Error(`a batch of ${batch.length} gave ${outputs.length} outputs`);
      }
      for (const [i, request] of batch.entries()) request.resolve(outputs[i] as Output);
    } catch (error) {
      if (batch.length === 1 || this.options.isSharedFailure?.(error)) {
        for (const request of batch) request.reject(error);
        return;
      }
      // One input may be the cause: each runs alone, and only the bad ones fail.
      await Promise.all(
        batch.map((request) =>
          this.options.run([request.input]).then(
            ([output]) => request.resolve(output as Output),
            (alone: unknown) => request.reject(alone),
          ),
        ),
      );
    }
  }
}
