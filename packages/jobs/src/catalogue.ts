import Type from "typebox";
import { defineJob } from "./job-definition.ts";
import { queueNames } from "./queue-names.ts";

const Uuid = Type.String({ format: "uuid" });

/** Kept for the dashboard; old ones are trimmed so Redis does not grow without bound. */
const retention = {
  removeOnComplete: { age: 7 * 24 * 3600, count: 50_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/**
 * Start a campaign: the coordinator marks it running and plans round 0.
 * jobId `campaign-<id>`: the API may enqueue twice (a retried request), one job results.
 */
export const startCampaignJob = defineJob({
  queue: queueNames.campaigns,
  name: "start-campaign",
  payload: Type.Object({ campaignId: Uuid }, { additionalProperties: false }),
  jobId: ({ campaignId }) => `campaign-${campaignId}`,
  options: { attempts: 5, backoff: { type: "exponential", delay: 1000 }, ...retention },
});

/**
 * Continue a resumed campaign (POST /campaigns/:id/resume): the coordinator starts it if it was
 * paused before it started, and plans from its first unfinished round. One job per resume:
 * jobId `campaign-<id>-resume-<resumedAt>` (milliseconds), in the campaigns queue.
 */
export const resumeCampaignJob = defineJob({
  queue: queueNames.campaigns,
  name: "resume-campaign",
  payload: Type.Object(
    { campaignId: Uuid, resumedAt: Type.Integer({ minimum: 0 }) },
    { additionalProperties: false },
  ),
  jobId: ({ campaignId, resumedAt }) => `campaign-${campaignId}-resume-${resumedAt}`,
  options: { attempts: 5, backoff: { type: "exponential", delay: 1000 }, ...retention },
});

/**
 * A round's parent job. Its children are the round's evaluate jobs; BullMQ runs it once they
 * have all finished, and the coordinator then closes the round and plans the next one.
 */
export const roundJob = defineJob({
  queue: queueNames.rounds,
  name: "round",
  payload: Type.Object(
    { campaignId: Uuid, roundId: Uuid, roundIndex: Type.Integer({ minimum: 0 }) },
    { additionalProperties: false },
  ),
  jobId: ({ campaignId, roundIndex }) => `campaign-${campaignId}-round-${roundIndex}`,
  options: { attempts: 5, backoff: { type: "exponential", delay: 1000 }, ...retention },
});

/**
 * Evaluate one architecture for one trial. jobId `trial-<id>`: one job per trial, ever.
 * A child that fails for good does not block its round (ignoreDependencyOnFailure): the round
 * records the trial as failed and the budget is spent on another candidate.
 */
export const evaluateJob = defineJob({
  queue: queueNames.evaluations,
  name: "evaluate",
  payload: Type.Object(
    {
      campaignId: Uuid,
      roundId: Uuid,
      trialId: Uuid,
      architectureId: Uuid,
      searchSpace: Type.String(),
      archString: Type.String(),
      evaluator: Type.Record(Type.String(), Type.Unknown()),
      evaluatorFingerprint: Type.String(),
      /**
       * Set by a worker that computed the result but could not record it (Postgres stayed
       * unreachable): the job is postponed with it, and the next run records it as is instead
       * of computing it again.
       */
      result: Type.Optional(
        Type.Object(
          {
            validationAccuracy: Type.Number(),
            /** null where the evaluator has no test figure (enas-6-table). */
            testAccuracy: Type.Union([Type.Number(), Type.Null()]),
            flops: Type.Number(),
            params: Type.Number(),
            metrics: Type.Record(Type.String(), Type.Unknown()),
            /** Training evaluators: ended by the early-stopping rule; epochs trained. */
            stoppedEarly: Type.Optional(Type.Boolean()),
            epochs: Type.Optional(Type.Integer({ minimum: 0 })),
            /** The worker that computed it, and how long it took. */
            worker: Type.String(),
            durationMs: Type.Number({ minimum: 0 }),
          },
          { additionalProperties: false },
        ),
      ),
    },
    { additionalProperties: false },
  ),
  jobId: ({ trialId }) => `trial-${trialId}`,
  options: {
    attempts: 3,
    backoff: { type: "exponential", delay: 2000 },
    ignoreDependencyOnFailure: true,
    ...retention,
  },
});
