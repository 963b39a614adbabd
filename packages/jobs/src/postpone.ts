import { DelayedError, type Job } from "bullmq";

/**
 * Puts an active job back in the queue, to run again in `delayMs`, without spending one of its
 * attempts (BullMQ's moveToDelayed skips the attempt count). For work that could not be done for
 * a reason outside the job (Postgres unreachable, a paused campaign): failing it would bring it
 * closer to failing for good. Returns the error the processor must throw so that BullMQ leaves
 * the job where it now is: `throw await postponeJob(job, token, 30_000)`.
 */
export async function postponeJob(
  job: Job,
  token: string | undefined,
  delayMs: number,
): Promise<DelayedError> {
  await job.moveToDelayed(Date.now() + delayMs, token);
  return new DelayedError(`postponed for ${delayMs} ms`);
}

/**
 * How long a job that gave up waiting for Postgres after `retryTimeoutMs` is postponed:
 * as long as it waited, between 1 s (no busy loop when the setting is 0) and 30 s.
 */
export function postponeDelay(retryTimeoutMs: number): number {
  return Math.max(1000, Math.min(retryTimeoutMs, 30_000));
}
