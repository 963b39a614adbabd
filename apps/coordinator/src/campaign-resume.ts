import type { Logger } from "@nasvae/config";
import { type Database, findLastRoundIndex, findOpenRound, markCampaignRunning } from "@nasvae/db";
import { type JobQueues, roundJob } from "@nasvae/jobs";
import type { RoundPlanner } from "./round-planner.ts";

/** States of a round job that has not run yet: when it runs it plans the next round itself. */
const NOT_STARTED = new Set(["waiting-children", "waiting", "delayed", "prioritized"]);

/**
 * Continues a resumed campaign (a resume-campaign job; see docs/campaign-control.md). A campaign
 * paused before it started is started now. Planning goes on from its first round still running,
 * or after its last round: a round that ended while the campaign was paused planned nothing, so
 * the next one is planned here. When that round's job has not run yet, it plans the next round
 * when it does, and nothing is done here. Safe to repeat, like every planning step.
 */
export async function resumeCampaign(
  deps: { db: Database; queues: JobQueues; planner: RoundPlanner },
  campaignId: string,
  log: Logger,
): Promise<void> {
  const { db, queues, planner } = deps;
  if (await markCampaignRunning(db, campaignId)) log.info("campaign running (resumed)");
  const open = await findOpenRound(db, campaignId);
  if (open) {
    const job = await queues.byName.rounds.getJob(
      roundJob.jobId({ campaignId, roundId: open.id, roundIndex: open.index }),
    );
    if (job && NOT_STARTED.has(await job.getState())) {
      log.info({ round: open.index }, "campaign resumed; its round job plans the next round");
      return;
    }
    await planner.planFrom(campaignId, open.index, log);
    return;
  }
  const last = await findLastRoundIndex(db, campaignId);
  await planner.planFrom(campaignId, last === null ? 0 : last + 1, log);
}
