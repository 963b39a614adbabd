// The queue side of campaign control (cancel, resume): find one campaign's jobs by the catalogue's
// jobId rules and act on them only, never on another campaign's.
import type { Job } from "bullmq";
import { evaluateJob, roundJob, startCampaignJob } from "./catalogue.ts";
import type { JobQueues } from "./queues.ts";

/** States of a job that no worker holds: it can be removed without racing one. */
const UNSTARTED = new Set(["waiting", "delayed", "prioritized", "waiting-children"]);

export interface CampaignJobRefs {
  campaignId: string;
  /** Indexes of the campaign's rounds whose round jobs may still be pending. */
  roundIndexes: readonly number[];
  /** Trials whose evaluate jobs may still be pending. */
  trialIds: readonly string[];
}

export interface RemovedJobs {
  /** Jobs removed (a round's flow counts its parent and each child). */
  removed: number;
  /** Jobs a worker holds now (active): they finish on their own; ids for the logs. */
  running: string[];
}

/**
 * Removes every job of a cancelled campaign that has not started: its start and resume jobs,
 * its round jobs (each with its evaluate children, in one atomic step when no child runs) and
 * the evaluate jobs of the trials given. Jobs that run now are left to finish (the worker and the
 * coordinator see the campaign cancelled and do nothing more); finished jobs are kept, as the
 * dashboard's history. Jobs of other campaigns are never touched: every job is found by its jobId
 * or, in the small campaigns queue, by its payload's campaignId.
 */
export async function removeCampaignJobs(
  queues: JobQueues,
  refs: CampaignJobRefs,
): Promise<RemovedJobs> {
  const result: RemovedJobs = { removed: 0, running: [] };
  const { campaigns, rounds, evaluations } = queues.byName;

  for (const roundIndex of refs.roundIndexes) {
    const jobId = roundJob.jobId({ campaignId: refs.campaignId, roundId: "", roundIndex });
    const job = await rounds.getJob(jobId);
    if (!job) continue;
    const state = await job.getState();
    if (!UNSTARTED.has(state)) {
      if (state === "active") result.running.push(jobId);
      continue;
    }
    const counts = await job.getDependenciesCount({ unprocessed: true });
    // The whole flow at once, unless a child is running (locked): then only the children that
    // have not started, and the parent runs when the running ones end.
    if ((await rounds.remove(jobId, { removeChildren: true })) === 1) {
      result.removed += 1 + (counts.unprocessed ?? 0);
    } else {
      await job.removeUnprocessedChildren();
      const left = await job.getDependenciesCount({ unprocessed: true });
      result.removed += (counts.unprocessed ?? 0) - (left.unprocessed ?? 0);
      result.running.push(jobId);
    }
  }

  for (const trialId of refs.trialIds) {
    const jobId = evaluateJob.jobId({ trialId } as Parameters<typeof evaluateJob.jobId>[0]);
    const job = await evaluations.getJob(jobId);
    if (job) await removeIfUnstarted(job, result);
  }

  // Start and resume jobs: the campaigns queue holds at most a few unstarted jobs per campaign.
  const unstarted = await campaigns.getJobs(["waiting", "delayed", "prioritized"]);
  for (const job of unstarted) {
    if ((job.data as { campaignId?: unknown } | undefined)?.campaignId === refs.campaignId) {
      await removeIfUnstarted(job, result);
    }
  }
  // The start job by its id too (getJobs reads lists that may change under it).
  const start = await campaigns.getJob(startCampaignJob.jobId({ campaignId: refs.campaignId }));
  if (start) await removeIfUnstarted(start, result);
  return result;
}

async function removeIfUnstarted(job: Job, result: RemovedJobs): Promise<void> {
  const state = await job.getState();
  if (state === "active") result.running.push(job.id ?? "");
  if (!UNSTARTED.has(state)) return;
  try {
    await job.remove({ removeChildren: true });
    result.removed += 1;
  } catch {
    // Taken by a worker between the two calls: it finishes on its own.
    result.running.push(job.id ?? "");
  }
}

/**
 * Wakes the evaluate jobs of these trials that a worker held (moved to delayed) while their
 * campaign was paused, so that a resumed campaign does not wait for their next look. Returns how
 * many were promoted; the others were not delayed.
 */
export async function promoteHeldJobs(
  queues: JobQueues,
  trialIds: readonly string[],
): Promise<number> {
  let promoted = 0;
  for (const trialId of trialIds) {
    const jobId = evaluateJob.jobId({ trialId } as Parameters<typeof evaluateJob.jobId>[0]);
    const job = await queues.byName.evaluations.getJob(jobId);
    if (!job || (await job.getState()) !== "delayed") continue;
    try {
      await job.promote();
      promoted += 1;
    } catch {
      // Promoted meanwhile (its delay ran out): it runs anyway.
    }
  }
  return promoted;
}
