import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createLogger } from "@nasvae/config";
import type { MedianStoppingRule } from "@nasvae/contracts";
import { findLearningCurve, findPeerValidationAccuracies } from "@nasvae/db";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import type { EpochProgress } from "@nasvae/evaluators";
import { median, medianStoppingDecision } from "../src/early-stopping.ts";
import { type TrainingJobProgress, TrainingProgress } from "../src/training-progress.ts";

const rule: MedianStoppingRule = { rule: "median", afterEpochs: 2, minPeers: 3 };

describe("median stopping rule", () => {
  test("median of odd and even counts", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.throws(() => median([]), /no values/);
  });

  test("stops a run whose best so far is below its peers' median, from afterEpochs on", () => {
    const peers = [50, 60, 70];
    const run = (epoch: number, best: number) => ({
      epoch,
      epochs: 5,
      bestValidationAccuracy: best,
    });
    assert.deepEqual(medianStoppingDecision(rule, run(2, 59.9), peers), {
      stop: true,
      median: 60,
      peers: 3,
    });
    assert.equal(medianStoppingDecision(rule, run(2, 60), peers).stop, false);
    assert.equal(medianStoppingDecision(rule, run(3, 80), peers).stop, false);
    // Before afterEpochs, or at the last epoch (the run ends anyway): never.
    assert.deepEqual(medianStoppingDecision(rule, run(1, 10), peers), {
      stop: false,
      median: null,
      peers: 3,
    });
    assert.equal(medianStoppingDecision(rule, run(5, 10), peers).stop, false);
  });

  test("does not trust a median of fewer than minPeers runs", () => {
    const run = { epoch: 2, epochs: 5, bestValidationAccuracy: 10 };
    assert.equal(medianStoppingDecision(rule, run, [50, 60]).stop, false);
    assert.equal(medianStoppingDecision({ ...rule, minPeers: 2 }, run, [50, 60]).stop, true);
  });
});

describe("training progress (with Postgres)", () => {
  let database: TestDatabase;
  const fingerprint = "f".repeat(64);
  const log = createLogger("worker", "silent");

  before(async () => {
    database = await createTestDatabase("stopping");
  });
  after(async () => {
    await database.drop();
  });

  async function architecture(): Promise<string> {
    const row = await database.db.architecture.create({
      data: { searchSpace: "nas-bench-201", canonicalHash: randomUUID(), archString: "x" },
    });
    return row.id;
  }

  async function campaign(): Promise<string> {
    const row = await database.db.campaign.create({
      data: {
        name: "stopping test",
        searchSpace: "nas-bench-201",
        evaluator: { kind: "train", dataset: "synthetic-shapes" },
        evaluatorFingerprint: fingerprint,
        strategy: { kind: "random" },
        budgetEvaluations: 1,
        roundSize: 1,
        seed: 1,
        status: "running",
      },
    });
    return row.id;
  }

  function epoch(n: number, validationAccuracy: number): EpochProgress {
    return {
      epoch: n,
      epochs: 4,
      trainLoss: 2 - n / 10,
      trainAccuracy: validationAccuracy + 1,
      validationLoss: 1.5,
      validationAccuracy,
      learningRate: 0.1,
      durationMs: 12.6,
    };
  }

  function progressFor(
    architectureId: string,
    campaignId: string,
    earlyStopping?: MedianStoppingRule,
    evaluatorFingerprint = fingerprint,
  ) {
    const updates: TrainingJobProgress[] = [];
    const progress = new TrainingProgress({
      db: database.db,
      job: { updateProgress: async (update) => void updates.push(update) },
      log,
      campaignId,
      architectureId,
      evaluatorFingerprint,
      worker: "w1",
      ...(earlyStopping ? { earlyStopping } : {}),
    });
    return { progress, updates };
  }

  test("records every epoch, updates the job's progress, goes on without a rule", async () => {
    const architectureId = await architecture();
    const { progress, updates } = progressFor(architectureId, await campaign());
    assert.equal(await progress.onEpoch(epoch(1, 20)), "continue");
    assert.equal(await progress.onEpoch(epoch(2, 30)), "continue");
    assert.deepEqual(updates, [
      { epoch: 1, epochs: 4, validationAccuracy: 20 },
      { epoch: 2, epochs: 4, validationAccuracy: 30 },
    ]);
    const curve = await findLearningCurve(database.db, architectureId, fingerprint);
    assert.deepEqual(
      curve.map((p) => [p.epoch, p.validationAccuracy, p.trainLoss, p.durationMs, p.worker]),
      [
        [1, 20, 1.9, 13, "w1"],
        [2, 30, 1.8, 13, "w1"],
      ],
    );
  });

  test("stops at the epoch boundary once the campaign is cancelled", async () => {
    const campaignId = await campaign();
    const { progress } = progressFor(await architecture(), campaignId);
    assert.equal(await progress.onEpoch(epoch(1, 20)), "continue");
    await database.db.campaign.update({ where: { id: campaignId }, data: { status: "cancelled" } });
    assert.equal(await progress.onEpoch(epoch(2, 30)), "stop");
    assert.equal(progress.cancelledAfterEpoch, 2);
    assert.equal(progress.stoppedAfterEpoch, undefined);
  });

  test("stops a run below the median of its peers at the same epoch, once there are enough", async () => {
    // Peers at epoch 2 (this fingerprint): 40, 50, 60 -> median 50; another fingerprint is ignored.
    const campaignId = await campaign();
    const own = "a".repeat(64);
    const peers = [await architecture(), await architecture(), await architecture()];
    for (const [index, id] of peers.entries()) {
      const { progress } = progressFor(id, campaignId, undefined, own);
      await progress.onEpoch(epoch(1, 30));
      await progress.onEpoch(epoch(2, 40 + 10 * index));
    }
    const stranger = await architecture();
    await database.db.learningCurvePoint.create({
      data: {
        architectureId: stranger,
        evaluatorFingerprint: "0".repeat(64),
        epoch: 2,
        validationAccuracy: 99,
        durationMs: 1,
        worker: "w2",
      },
    });
    const hopeless = await architecture();
    assert.deepEqual(
      (await findPeerValidationAccuracies(database.db, own, 2, hopeless)).sort(),
      [40, 50, 60],
    );
    const { progress } = progressFor(hopeless, campaignId, rule, own);
    assert.equal(await progress.onEpoch(epoch(1, 5)), "continue"); // before afterEpochs
    assert.equal(await progress.onEpoch(epoch(2, 49)), "stop");
    assert.equal(progress.stoppedAfterEpoch, 2);

    // Its best so far counts, not its last epoch: 55 at epoch 1 is above the median.
    const promising = progressFor(await architecture(), campaignId, rule, own).progress;
    await promising.onEpoch(epoch(1, 55));
    assert.equal(await promising.onEpoch(epoch(2, 45)), "continue");

    // Too few peers for a stricter rule: never stopped.
    const lonely = progressFor(
      await architecture(),
      campaignId,
      { ...rule, minPeers: 10 },
      own,
    ).progress;
    await lonely.onEpoch(epoch(1, 1));
    assert.equal(await lonely.onEpoch(epoch(2, 1)), "continue");
  });
});
