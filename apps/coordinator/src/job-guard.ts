// Runs the coordinator's jobs through Postgres outages, and knows which campaigns it is working
// on right now (the reconciler leaves those alone).
import type { Logger } from "@nasvae/config";
import { DatabaseUnavailableError, retryWhileDatabaseUnavailable } from "@nasvae/db";
import { jobLogBindings, postponeDelay, postponeJob } from "@nasvae/jobs";
import type { Job } from "bullmq";

export interface JobGuardOptions {
  /** How long a job retries while Postgres is unreachable before it is postponed. */
  timeoutMs: number;
  log: Logger;
}

/**
 * Wraps the coordinator's processors. Both are safe to repeat from the start (Postgres holds the
 * state; a replayed round proposes the same candidates), so while one fails because Postgres is
 * unreachable it is simply run again, with backoff, for up to `timeoutMs`; then its job is moved
 * back to the queue, delayed by as long (1 to 30 s), without spending an attempt. Other errors go
 * to BullMQ's attempts as before.
 */
export class JobGuard {
  private readonly running = new Map<string, number>();

  constructor(private readonly options: JobGuardOptions) {}

  /** True while a job of this campaign runs in this process. */
  isBusy(campaignId: string): boolean {
    return (this.running.get(campaignId) ?? 0) > 0;
  }

  async run<T>(job: Job, token: string | undefined, processor: () => Promise<T>): Promise<T> {
    const campaignId = (job.data as { campaignId?: unknown } | undefined)?.campaignId;
    const key = typeof campaignId === "string" ? campaignId : "";
    this.running.set(key, (this.running.get(key) ?? 0) + 1);
    const log = this.options.log.child(jobLogBindings(job));
    try {
      return await retryWhileDatabaseUnavailable(processor, {
        timeoutMs: this.options.timeoutMs,
        log,
      });
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError)) throw error;
      const delayMs = postponeDelay(this.options.timeoutMs);
      log.warn({ err: error, delayMs }, "database unreachable: job postponed (no attempt spent)");
      throw await postponeJob(job, token, delayMs);
    } finally {
      const left = (this.running.get(key) ?? 1) - 1;
      if (left > 0) this.running.set(key, left);
      else this.running.delete(key);
    }
  }
}
