// The worker with a `train` evaluator (docs/training.md): a campaign cancelled while a network
// trains stops it at the next epoch boundary, and nothing is recorded for it; a re-delivered job
// resumes from its trial's checkpoint, which is deleted once the evaluation ends.

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createLogger } from "@nasvae/config";
import { validateEvaluatorSpec } from "@nasvae/contracts";
import { cancelCampaign, createRound } from "@nasvae/db";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { evaluatorFingerprint } from "@nasvae/evaluators";
import { evaluateJob } from "@nasvae/jobs";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import { nasBench201SearchSpace as space } from "@nasvae/search-space";
import { createEvaluator } from "@nasvae/train-evaluator";
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
  const checkpointDir = mkdtempSync(join(tmpdir(), "nasvae-worker-checkpoints-"));

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
      checkpointDir,
      checkpointEveryEpochs: 1,
    });
    worker.start();
    events = await redis.queueEvents(evaluateJob.queue);
  });
  after(async () => {
    await worker.close();
    await redis.cleanup();
    await database.drop();
    rmSync(checkpointDir, { recursive: true, force: true });
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
    const key = { trialId: trial.id, evaluatorFingerprint: fingerprint };
    assert.equal(existsSync(worker.checkpoints.path(key)), false, "checkpoint deleted");
  });

  test("a re-delivered job resumes from its checkpoint: only the epochs after it run", async () => {
    const resumeSpec = validateEvaluatorSpec({ ...spec, epochs: 4, trainSamples: 64 });
    const resumeFingerprint = await evaluatorFingerprint(resumeSpec);
    const campaign = await database.db.campaign.create({
      data: {
        name: "resume training",
        searchSpace: "nas-bench-201",
        evaluator: { ...resumeSpec },
        evaluatorFingerprint: resumeFingerprint,
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
      evaluatorFingerprint: resumeFingerprint,
      candidates: [{ archString, canonicalHash: space.canonicalHash(space.parse(archString)) }],
    });
    const [trial] = round.trials;
    assert.ok(trial);
    const key = { trialId: trial.id, evaluatorFingerprint: resumeFingerprint };
    // A first delivery "dies" in epoch 3's callback, after the checkpoint of epoch 2; it records
    // no epoch, so every learning-curve row below is the re-delivered job's.
    const checkpoints = worker.checkpoints.forEvaluation(key, createLogger("test", "silent"));
    assert.ok(checkpoints);
    await assert.rejects(
      createEvaluator(resumeSpec).evaluate(archString, {
        checkpoints,
        onEpoch: async ({ epoch }) => {
          if (epoch === 3) throw new Error("killed");
          return "continue";
        },
      }),
      /killed/,
    );
    assert.ok(existsSync(worker.checkpoints.path(key)), "checkpoint of epoch 2 on disk");

    const job = await redis.queues.byName.evaluations.add(
      evaluateJob.name,
      {
        campaignId: campaign.id,
        roundId: round.id,
        trialId: trial.id,
        architectureId: trial.architectureId,
        searchSpace: "nas-bench-201",
        archString,
        evaluator: { ...resumeSpec },
        evaluatorFingerprint: resumeFingerprint,
      },
      { ...evaluateJob.options, jobId: `trial-${trial.id}` },
    );
    const result = await job.waitUntilFinished(events, 300_000);
    assert.equal(result.cached, false);
    const evaluation = await database.db.evaluation.findFirstOrThrow({
      where: { architectureId: trial.architectureId, evaluatorFingerprint: resumeFingerprint },
    });
    assert.equal(evaluation.epochs, 4, "the resumed run reports every epoch of the run");
    assert.equal(evaluation.stoppedEarly, false);
    const points = await database.db.learningCurvePoint.findMany({
      where: { architectureId: trial.architectureId, evaluatorFingerprint: resumeFingerprint },
      orderBy: { epoch: "asc" },
    });
    assert.deepEqual(
      points.map((p) => p.epoch),
      [3, 4],
      "epochs 1 and 2 came from the checkpoint",
    );
    assert.equal(existsSync(worker.checkpoints.path(key)), false, "checkpoint deleted");
  });
});
