// A round as BullMQ runs it: a parent "round" job whose children are the "evaluate" jobs of its
// pending trials. Built in one place for the planner and the reconciler (which rebuilds the
// flows that Redis lost), so both enqueue exactly the same jobs under the same jobIds.
import type { Campaign, Round, Trial } from "@nasvae/db";
import type { FlowJob } from "bullmq";
import type { Static } from "typebox";
import { evaluateJob, roundJob } from "./catalogue.ts";

type RoundRef = Pick<Round, "id" | "index">;
type TrialRef = Pick<Trial, "id" | "architectureId" | "archString">;

/** The round job's payload (its jobId is `campaign-<id>-round-<index>`). */
export function roundPayload(campaign: Pick<Campaign, "id">, round: RoundRef) {
  return { campaignId: campaign.id, roundId: round.id, roundIndex: round.index };
}

/** The evaluate job's payload of one trial (jobId `trial-<id>`). */
export function evaluatePayload(
  campaign: Campaign,
  round: RoundRef,
  trial: TrialRef,
): Static<typeof evaluateJob.payload> {
  return {
    campaignId: campaign.id,
    roundId: round.id,
    trialId: trial.id,
    architectureId: trial.architectureId,
    searchSpace: campaign.searchSpace,
    archString: trial.archString,
    evaluator: campaign.evaluator as Record<string, unknown>,
    evaluatorFingerprint: campaign.evaluatorFingerprint,
  };
}

/** The evaluate job of one trial, as a child of a flow. */
export function evaluateChild(campaign: Campaign, round: RoundRef, trial: TrialRef): FlowJob {
  const payload = evaluatePayload(campaign, round, trial);
  return {
    name: evaluateJob.name,
    queueName: evaluateJob.queue,
    data: payload,
    opts: { ...evaluateJob.options, jobId: evaluateJob.jobId(payload) },
  };
}

/**
 * The round's flow with these trials as children. With no children the round job runs at once
 * (it closes the round and plans the next one).
 */
export function roundFlow(campaign: Campaign, round: RoundRef, trials: TrialRef[]): FlowJob {
  const parent = roundPayload(campaign, round);
  return {
    name: roundJob.name,
    queueName: roundJob.queue,
    data: parent,
    opts: { ...roundJob.options, jobId: roundJob.jobId(parent) },
    children: trials.map((trial) => evaluateChild(campaign, round, trial)),
  };
}
