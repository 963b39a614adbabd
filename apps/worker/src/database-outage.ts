// How an evaluate job lives through a Postgres outage: its database work is retried in place,
// then the job is postponed without spending an attempt; a result it computed is never dropped.
import type { Logger } from "@nasvae/config";
import {
  DatabaseUnavailableError,
  isDatabaseUnavailable,
  retryWhileDatabaseUnavailable,
} from "@nasvae/db";
import { jobLogBindings, postponeDelay, postponeJob } from "@nasvae/jobs";
import type { Job } from "bullmq";

/** A measured result, as an evaluate job carries it (the catalogue's optional `result`). */
export interface ComputedResult {
  validationAccuracy: number;
  /** null where the evaluator has no test figure (enas-6-table). */
  testAccuracy: number | null;
  flops: number;
  params: number;
  metrics: Record<string, unknown>;
  /** Training evaluators: ended by the early-stopping rule, and epochs trained. */
  stoppedEarly?: boolean;
  epochs?: number;
  /** The worker that computed it and how long that took (recorded with it). */
  worker: string;
  durationMs: number;
}

/**
 * What one delivery of an evaluate job has computed, kept across the retries of its database
 * work. Seeded with the result a postponed run left in the job's data.
 */
export class CarriedResult {
  value: ComputedResult | undefined;
  /** True when the evaluation itself threw: never retried here (BullMQ's attempts decide). */
  evaluationFailed = false;

  constructor(value?: ComputedResult) {
    this.value = value;
  }

  /** The carried result, or `compute`'s (run at most once per delivery). */
  async computeOnce(compute: () => Promise<ComputedResult>): Promise<ComputedResult> {
    if (this.value) return this.value;
    try {
      this.value = await compute();
    } catch (error) {
      this.evaluationFailed = true;
      throw error;
    }
    return this.value;
  }
}

export interface DatabaseOutageOptions {
  /** How long a run retries while Postgres is unreachable before the job is postponed. */
  timeoutMs: number;
  log: Logger;
  /** Backoff of the retries (tests make it short). Default: 250 ms doubling to 5 s. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Runs an evaluate job's processor so that Postgres being unreachable costs neither an attempt
 * nor a result. The whole processor is run again (it is idempotent: it reads the trial first, and
 * recording twice leaves one row) with backoff while it fails with "database unreachable", for up
 * to `timeoutMs`. Then the job is moved back to the queue, delayed by as long (1 to 30 s), without
 * counting an attempt, and a result computed in this delivery goes with it (the job's data): the
 * next run records it instead of evaluating again. An error of the evaluation itself,
 * or any other error, is thrown as usual (BullMQ's attempts and backoff apply).
 */
export class DatabaseOutagePolicy {
  private readonly carried = new WeakMap<Job, CarriedResult>();

  constructor(private readonly options: DatabaseOutageOptions) {}

  /** The result carried by this delivery of `job` (run inside `run`). */
  carriedFor(job: Job): CarriedResult {
    let carried = this.carried.get(job);
    if (!carried) {
      carried = new CarriedResult();
      this.carried.set(job, carried);
    }
    return carried;
  }

  async run<T>(job: Job, token: string | undefined, processor: () => Promise<T>): Promise<T> {
    const { timeoutMs } = this.options;
    const log = this.options.log.child(jobLogBindings(job));
    const kept = (job.data as { result?: ComputedResult } | undefined)?.result;
    const carried = new CarriedResult(kept);
    this.carried.set(job, carried);
    try {
      return await retryWhileDatabaseUnavailable(processor, {
        timeoutMs,
        log,
        minDelayMs: this.options.minDelayMs,
        maxDelayMs: this.options.maxDelayMs,
        retryable: (error) => !carried.evaluationFailed && isDatabaseUnavailable(error),
      });
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError)) throw error;
      const delayMs = postponeDelay(timeoutMs);
      if (carried.value && carried.value !== kept) {
        await job.updateData({ ...(job.data as object), result: carried.value });
      }
      log.warn(
        { err: error, delayMs, resultKept: carried.value !== undefined },
        "database unreachable: job postponed (no attempt spent)",
      );
      throw await postponeJob(job, token, delayMs);
    } finally {
      this.carried.delete(job);
    }
  }
}
