// The coordinator's metrics, in-process on the real Postgres and Redis: a round's duration and
// predictor error when it closes, a proposal's duration when it is planned.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createLogger } from "@nasvae/config";
import { createRound, recordEvaluation } from "@nasvae/db";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import { sumSamples } from "@nasvae/metrics/testing";
import { nasBench201SearchSpace as space } from "@nasvae/search-space";
import type { Job } from "bullmq";
import { Coordinator } from "../src/coordinator.ts";

const evaluator = { kind: "nas-bench-201", dataset: "cifar10" };
const fingerprint = "e".repeat(64);
const cells = [
  "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|",
  "|nor_conv_1x1~0|+|nor_conv_3x3~0|skip_connect~1|+|nor_conv_3x3~0|skip_connect~1|none~2|",
  "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|",
  "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|",
];

/** Just what the coordinator's processors read of a BullMQ job. */
function fakeJob(queueName: string, data: object): Job {
  return {
    id: `test-${queueName}`,
    queueName,
    data,
    getIgnoredChildrenFailures: async () => ({}),
  } as unknown as Job;
}

describe("coordinator metrics", () => {
  let database: TestDatabase;
  let redis: TestQueues;
  let coordinator: Coordinator;

  before(async () => {
    database = await createTestDatabase("coordinator_metrics");
    redis = await createTestQueues("coordinator-metrics");
    coordinator = new Coordinator({
      db: database.db,
      queues: redis.queues,
      connection: redis.connection,
      log: createLogger("coordinator", "silent"),
    });
  });
  after(async () => {
    await coordinator.close();
    await redis.cleanup();
    await database.drop();
  });

  async function createCampaign(status: "queued" | "running", strategy: string) {
    return database.db.campaign.create({
      data: {
        name: "metrics",
        status,
        searchSpace: "nas-bench-201",
        evaluator,
        evaluatorFingerprint: fingerprint,
        strategy: { kind: strategy },
        budgetEvaluations: 4,
        roundSize: 4,
        seed: 3,
      },
    });
  }

  test("a closed round is timed once, and its predicted trials give the predictor's error", async () => {
    // Queued, not running: closing the round plans nothing after it.
    const campaign = await createCampaign("queued", "graph-vae");
    const predicted = [90, 80, undefined, 85];
    const measured = [91.5, 78, 70, undefined]; // the last trial's job failed for good
    const round = await createRound(database.db, {
      campaignId: campaign.id,
      index: 1,
      strategy: "graph-vae",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: fingerprint,
      candidates: cells.map((archString, i) => ({
        archString,
        canonicalHash: space.canonicalHash(space.parse(archString)),
        ...(predicted[i] === undefined ? {} : { prediction: { accuracy: predicted[i] } }),
      })),
    });
    for (const [i, trial] of round.trials.entries()) {
      const validationAccuracy = measured[cells.indexOf(trial.archString)];
      if (validationAccuracy === undefined) continue;
      await recordEvaluation(database.db, {
        trialId: trial.id,
        architectureId: trial.architectureId,
        evaluatorFingerprint: fingerprint,
        evaluator,
        result: { validationAccuracy, testAccuracy: 90, flops: 1e6 * (i + 1), params: 1e5 },
        worker: "test",
        durationMs: 1,
      });
    }
    const job = fakeJob("rounds", { campaignId: campaign.id, roundId: round.id, roundIndex: 1 });
    await coordinator.finishRound(job);
    await coordinator.finishRound(job); // redelivered: measured once

    const text = await coordinator.metrics.registry.metrics();
    const graphVae = { strategy: "graph-vae" };
    assert.equal(sumSamples(text, "nasvae_round_duration_seconds_count", graphVae), 1);
    // |90 − 91.5| and |80 − 78|; the unpredicted and the failed trial are left out.
    assert.equal(sumSamples(text, "nasvae_predictor_absolute_error_points_count", graphVae), 2);
    assert.equal(sumSamples(text, "nasvae_predictor_absolute_error_points_sum", graphVae), 3.5);
    assert.equal(
      sumSamples(text, "nasvae_predictor_absolute_error_points_bucket", { ...graphVae, le: "1" }),
      0,
    );
    assert.equal(
      sumSamples(text, "nasvae_predictor_absolute_error_points_bucket", { ...graphVae, le: "2" }),
      2,
    );
    assert.equal(
      sumSamples(text, "nasvae_predictor_last_round_mean_absolute_error_points", graphVae),
      1.75,
    );
  });

  test("planning a round times the proposal by strategy; a campaign's end is counted", async () => {
    const campaign = await createCampaign("running", "random");
    await coordinator.startCampaign(fakeJob("campaigns", { campaignId: campaign.id }));
    let text = await coordinator.metrics.registry.metrics();
    const random = { strategy: "random" };
    assert.equal(sumSamples(text, "nasvae_round_propose_duration_seconds_count", random), 1);
    // Random search trains no model, and reports no training time.
    assert.equal(sumSamples(text, "nasvae_model_training_duration_seconds_count", random), 0);
    assert.equal(sumSamples(text, "nasvae_campaigns_finished_total"), 0);

    // Its 4 evaluations recorded, the round closes and the budget is spent: campaign completed.
    const round = await database.db.round.findFirstOrThrow({
      where: { campaignId: campaign.id },
      include: { trials: true },
    });
    for (const [i, trial] of round.trials.entries()) {
      await recordEvaluation(database.db, {
        trialId: trial.id,
        architectureId: trial.architectureId,
        evaluatorFingerprint: fingerprint,
        evaluator,
        result: { validationAccuracy: 80 + i, testAccuracy: 80, flops: 1e6, params: 1e5 },
        worker: "test",
        durationMs: 1,
      });
    }
    await coordinator.finishRound(
      fakeJob("rounds", { campaignId: campaign.id, roundId: round.id, roundIndex: 0 }),
    );
    text = await coordinator.metrics.registry.metrics();
    assert.equal(sumSamples(text, "nasvae_round_duration_seconds_count", random), 1);
    assert.equal(sumSamples(text, "nasvae_predictor_absolute_error_points_count", random), 0);
    assert.equal(sumSamples(text, "nasvae_campaigns_finished_total", { status: "completed" }), 1);
    const stored = await database.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    assert.equal(stored.status, "completed");
  });
});
