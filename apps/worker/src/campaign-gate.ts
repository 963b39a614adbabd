// Campaign control on the worker side: before an evaluate job runs, the worker looks at its
// campaign's status. Paused: the job is held (put back as delayed, untouched otherwise). Cancelled:
// nothing is evaluated. See docs/campaign-control.md.
import type { Logger } from "@nasvae/config";
import { type CampaignStatus, campaignStatus, cancelPendingTrial, type Database } from "@nasvae/db";
import { DelayedError, type Job } from "bullmq";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How long a held job waits before a worker looks at its campaign again. */
export interface HoldDelay {
  /** The first wait (default 1 s); each further hold of the same job doubles it... */
  firstMs: number;
  /** ...up to this (default 10 s). A resume wakes held jobs at once; this bounds a missed one. */
  maxMs: number;
}

export const DEFAULT_HOLD_DELAY: HoldDelay = { firstMs: 1000, maxMs: 10_000 };

/** What an evaluate job of a cancelled campaign returns: nothing was evaluated. */
export interface SkippedEvaluation {
  trialId: string;
  skipped: "campaign cancelled";
}

/**
 * Decides whether an evaluate job may run now. Resolves to null when it may (the campaign is
 * queued, running or ended normally, or the job is not well-formed: evaluating reports that);
 * to a SkippedEvaluation when its campaign was cancelled (its trial, if still pending, fails
 * like the ones the cancel ended); and for a paused campaign it moves the job to delayed and
 * throws BullMQ's DelayedError, which ends this run without counting an attempt.
 * `knownStatus`: the campaign's status when the caller has just read it (with the job's other
 * reads, in one query); otherwise it is read here.
 */
export async function admitEvaluation(
  db: Database,
  job: Job,
  token: string | undefined,
  log: Logger,
  hold: HoldDelay = DEFAULT_HOLD_DELAY,
  knownStatus?: CampaignStatus | null,
): Promise<SkippedEvaluation | null> {
  const data = (typeof job.data === "object" && job.data !== null ? job.data : {}) as Record<
    string,
    unknown
  >;
  const { campaignId, trialId } = data;
  if (typeof campaignId !== "string" || !UUID.test(campaignId)) return null;
  const status = knownStatus === undefined ? await campaignStatus(db, campaignId) : knownStatus;
  if (status === "paused") {
    // Runs of this job that were not attempts: earlier holds (and stalls), each one doubling.
    const holds = Math.max(0, job.attemptsStarted - 1 - job.attemptsMade);
    const delayMs = Math.min(hold.maxMs, hold.firstMs * 2 ** Math.min(holds, 20));
    await job.moveToDelayed(Date.now() + delayMs, token);
    log.info({ delayMs }, "campaign paused; evaluation held");
    throw new DelayedError();
  }
  if (status === "cancelled" && typeof trialId === "string" && UUID.test(trialId)) {
    // A trial still pending here was proposed as the cancel committed; it ends like the others.
    const ended = await cancelPendingTrial(db, trialId);
    log.info({ trialEnded: ended }, "campaign cancelled; evaluation skipped");
    return { trialId, skipped: "campaign cancelled" };
  }
  return null;
}
