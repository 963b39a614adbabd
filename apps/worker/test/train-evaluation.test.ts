// The worker with a `train` evaluator (docs/training.md): a campaign cancelled while a network
// trains stops it at the next epoch boundary, and nothing is recorded for it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createLogger } from "@nasvae/config";
import { cancelCampaign, createRound } from "@nasvae/db";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { evaluatorFingerprint, validateEvaluatorSpec } from "@nasvae/evaluators";
import { evaluateJob } from "@nasvae/jobs";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import { nasBench201SearchSpace as space } from "@nasvae/search-space";
import type { QueueEvents } from "bullmq";
import { EvaluationWorker } from "../src/evaluation-worker.ts";

/** Many short epochs of a tiny network: the cancel lands long before the last one. */
const spec = {
  kind: "train",
  dataset: "synthetic-shapes",
  epochs: 50,
  cellsPerStage: 1,
  channels: 4,
  batchSize: 32,
  trainSamples: 32,
  augment: false,
};
const evaluator = validateEvaluatorSpec(spec);
const archString =
  "|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|skip_connect~0|none~1|avg_pool_3x3~2|";

describe("evaluation worker, train evaluator", () => {
  let database: TestDatabase;
  let redis: TestQueues;
  let worker: EvaluationWorker;
  let events: QueueEvents;
  let fingerprint: string;

  before(async () => {
    database = await createTestDatabase("worker_train");
    redis = await createTestQueues("worker-train");
    fingerprint = await evaluatorFingerprint(evaluator);
    worker = new EvaluationWorker({
      db: database.db,
      connection: redis.connection,
      prefix: redis.prefix,
      name: "train-worker",
      log: createLogger("worker", "silent"),
    });
    worker.start();
    events = await redis.queueEvents(evaluateJob.queue);
  });
  after(async () => {
    await worker.close();
    await redis.cleanup();
    await database.drop();
  });

  test("a campaign cancelled mid-training: stopped at an epoch boundary, nothing recorded", async () => {
    const campaign = await database.db.campaign.create({
      data: {
        name: "cancel while training",
        searchSpace: "nas-bench-201",
        evaluator: { ...evaluator },
        evaluatorFingerprint: fingerprint,
        strategy: { kind: "random" },
        budgetEvaluations: 1,
        roundSize: 1,
        seed: 1,
        status: "running",
      },
    });
    const round = await createRound(database.db, {
      campaignId: campaign.id,
      index: 0,
      strategy: "random",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: fingerprint,
      candidates: [{ archString, canonicalHash: space.canonicalHash(space.parse(archString)) }],
    });
    const [trial] = round.trials;
    assert.ok(trial);
    const jobId = `trial-${trial.id}`;
    // Cancel as soon as the first epoch is reported.
    const firstEpoch = new Promise<void>((resolve) => {
      events.on("progress", ({ jobId: id }) => {
        if (id === jobId) resolve();
      });
    });
    const job = await redis.queues.byName.evaluations.add(
      evaluateJob.name,
      {
        campaignId: campaign.id,
        roundId: round.id,
        trialId: trial.id,
        architectureId: trial.architectureId,
        searchSpace: "nas-bench-201",
        archString,
        evaluator: { ...evaluator },
        evaluatorFingerprint: fingerprint,
      },
      { ...evaluateJob.options, jobId },
    );
    await firstEpoch;
    const cancelled = await cancelCampaign(database.db, campaign.id);
    assert.equal(cancelled.outcome, "changed");

    const result = await job.waitUntilFinished(events, 300_000);
    assert.deepEqual(result, { trialId: trial.id, skipped: "campaign cancelled" });
    const stored = await database.db.trial.findUniqueOrThrow({ where: { id: trial.id } });
    assert.equal(stored.status, "failed");
    assert.equal(stored.error, "campaign cancelled");
    assert.equal(await database.db.evaluation.count(), 0);
    const epochs = await database.db.learningCurvePoint.count({
      where: { architectureId: trial.architectureId, evaluatorFingerprint: fingerprint },
    });
    assert.ok(epochs >= 1 && epochs < spec.epochs, `${epochs} epochs recorded`);
  });
});
