import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type Candidate,
  closeRound,
  completeTrialsFromCache,
  createCampaign,
  createRound,
  recordEvaluation,
  startQueuedCampaign,
} from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

// createRound writes a round, its architectures, trials and snapshot in one SQL statement; these
// tests hold it to what the interactive transaction it replaced guaranteed.
describe("createRound", () => {
  let database: TestDatabase;
  const fingerprint = "rounds-test-evaluator";

  before(async () => {
    database = await createTestDatabase("rounds");
  });
  after(async () => {
    await database.drop();
  });

  const newCampaign = (name: string) =>
    createCampaign(database.db, {
      name,
      searchSpace: "nas-bench-201",
      evaluator: { kind: "test" },
      evaluatorFingerprint: fingerprint,
      strategy: { kind: "random" },
      budgetEvaluations: 10,
      roundSize: 5,
      seed: 1,
    });
  const candidate = (hash: string): Candidate => ({
    archString: `arch-${hash}`,
    canonicalHash: hash,
    prediction: { accuracy: 50, flops: 1 },
  });

  test("rounds of many campaigns over shared classes: one architecture per class, trials in candidate order", async () => {
    const campaigns = await Promise.all(Array.from({ length: 12 }, (_, i) => newCampaign(`c${i}`)));
    // Each round proposes 6 of 10 shared classes, in its own order.
    const classes = Array.from({ length: 10 }, (_, i) => `shared-${i}`);
    const proposals = campaigns.map((_, i) =>
      Array.from({ length: 6 }, (_, k) => classes[(i * 3 + k * 7) % 10] as string),
    );
    const rounds = await Promise.all(
      campaigns.map((campaign, i) =>
        createRound(database.db, {
          campaignId: campaign.id,
          index: 0,
          strategy: "random",
          searchSpace: "nas-bench-201",
          evaluatorFingerprint: fingerprint,
          candidates: (proposals[i] as string[]).map(candidate),
          snapshot: { strategy: "random", backend: "none", state: new Uint8Array([i, 1, 2, 3]) },
        }),
      ),
    );
    const stored = await database.db.architecture.findMany({
      where: { canonicalHash: { startsWith: "shared-" } },
    });
    assert.equal(stored.length, new Set(proposals.flat()).size, "one row per class");
    const idOf = new Map(stored.map((a) => [a.canonicalHash, a.id]));
    rounds.forEach((round, i) => {
      const proposal = proposals[i] as string[];
      assert.equal(round.proposed, proposal.length);
      assert.deepEqual(
        round.trials.map((t) => t.architectureId),
        proposal.map((hash) => idOf.get(hash)),
        "trials come back in candidate order",
      );
      assert.deepEqual(
        round.trials.map((t) => t.archString),
        proposal.map((hash) => `arch-${hash}`),
      );
      assert.ok(round.trials.every((t) => t.status === "pending" && !t.cached));
    });
    const snapshots = await database.db.modelSnapshot.findMany({
      where: { roundId: { in: rounds.map((r) => r.id) } },
    });
    assert.equal(snapshots.length, rounds.length);
    for (const snapshot of snapshots) {
      const index = rounds.findIndex((r) => r.id === snapshot.roundId);
      assert.deepEqual([...snapshot.state], [index, 1, 2, 3], "snapshot bytes kept");
      assert.equal(snapshot.sizeBytes, 4);
    }
  });

  test("a candidate with a known result is a completed, cached trial at once", async () => {
    const first = await newCampaign("known-1");
    const round = await createRound(database.db, {
      campaignId: first.id,
      index: 0,
      strategy: "random",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: fingerprint,
      candidates: [candidate("known-a"), candidate("known-b")],
    });
    const trial = round.trials[0];
    assert.ok(trial);
    const { evaluation } = await recordEvaluation(database.db, {
      trialId: trial.id,
      architectureId: trial.architectureId,
      evaluatorFingerprint: fingerprint,
      evaluator: { kind: "test" },
      result: { validationAccuracy: 70, testAccuracy: 69, flops: 1, params: 2 },
      worker: "test",
      durationMs: 1,
    });

    const second = await newCampaign("known-2");
    const next = await createRound(database.db, {
      campaignId: second.id,
      index: 0,
      strategy: "random",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: fingerprint,
      candidates: [candidate("known-b"), candidate("known-a")],
    });
    const [pending, cached] = next.trials;
    assert.equal(pending?.status, "pending");
    assert.equal(pending?.evaluationId, null);
    assert.equal(cached?.status, "completed");
    assert.equal(cached?.cached, true);
    assert.equal(cached?.evaluationId, evaluation.id);
    assert.ok(cached?.finishedAt instanceof Date);
  });

  test("a repeated round index is refused with nothing written; an empty round is written", async () => {
    const campaign = await newCampaign("repeat");
    const base = {
      campaignId: campaign.id,
      strategy: "random",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: fingerprint,
    };
    await createRound(database.db, { ...base, index: 0, candidates: [candidate("repeat-a")] });
    await assert.rejects(
      createRound(database.db, {
        ...base,
        index: 0,
        candidates: [candidate("repeat-b")],
        snapshot: { strategy: "random", state: new Uint8Array([1]) },
      }),
    );
    assert.equal(await database.db.round.count({ where: { campaignId: campaign.id } }), 1);
    assert.equal(await database.db.trial.count({ where: { campaignId: campaign.id } }), 1);
    assert.equal(
      await database.db.architecture.count({ where: { canonicalHash: "repeat-b" } }),
      0,
      "the refused statement stored no architecture",
    );
    assert.equal(await database.db.modelSnapshot.count({ where: { campaignId: campaign.id } }), 0);

    const empty = await createRound(database.db, { ...base, index: 1, candidates: [] });
    assert.equal(empty.index, 1);
    assert.equal(empty.proposed, 0);
    assert.deepEqual(empty.trials, []);
  });

  test("two candidates of one class are refused before anything is written", async () => {
    const campaign = await newCampaign("twice");
    await assert.rejects(
      createRound(database.db, {
        campaignId: campaign.id,
        index: 0,
        strategy: "random",
        searchSpace: "nas-bench-201",
        evaluatorFingerprint: fingerprint,
        candidates: [candidate("twice-a"), candidate("twice-a")],
      }),
      /same isomorphism class/,
    );
    assert.equal(await database.db.round.count({ where: { campaignId: campaign.id } }), 0);
  });

  test("completeTrialsFromCache: one statement completes many trials; a failed one stays failed", async () => {
    const campaign = await newCampaign("from-cache");
    const round = await createRound(database.db, {
      campaignId: campaign.id,
      index: 0,
      strategy: "random",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: fingerprint,
      candidates: ["fc-a", "fc-b", "fc-c"].map(candidate),
    });
    const [a, b, c] = round.trials;
    assert.ok(a && b && c);
    // Results that other campaigns' jobs recorded: one per architecture.
    const evaluationOf = async (trial: typeof a) =>
      database.db.evaluation.create({
        data: {
          architectureId: trial.architectureId,
          evaluatorFingerprint: fingerprint,
          evaluator: { kind: "test" },
          validationAccuracy: 1,
          testAccuracy: 1,
          flops: 1,
          params: 1,
          worker: "other",
          durationMs: 1,
        },
      });
    const [ea, eb, ec] = [await evaluationOf(a), await evaluationOf(b), await evaluationOf(c)];
    await database.db.trial.update({ where: { id: c.id }, data: { status: "failed" } });
    await completeTrialsFromCache(database.db, [
      { trialId: a.id, evaluationId: ea.id },
      { trialId: b.id, evaluationId: eb.id },
      { trialId: c.id, evaluationId: ec.id },
    ]);
    const after = await database.db.trial.findMany({
      where: { roundId: round.id },
      orderBy: { archString: "asc" },
    });
    assert.deepEqual(
      after.map((t) => [t.status, t.cached, t.evaluationId, t.finishedAt instanceof Date]),
      [
        ["completed", true, ea.id, true],
        ["completed", true, eb.id, true],
        ["failed", false, null, false],
      ],
    );
    await completeTrialsFromCache(database.db, []);
  });

  test("startQueuedCampaign: the started row as stored, and whether it has a round already", async () => {
    const fresh = await newCampaign("start-fresh");
    const started = await startQueuedCampaign(database.db, fresh.id);
    assert.ok(started);
    assert.equal(started.hasRounds, false);
    assert.equal(started.campaign.status, "running");
    assert.deepEqual(
      started.campaign,
      await database.db.campaign.findUnique({ where: { id: fresh.id } }),
    );
    // Only once: a second start job finds it running.
    assert.equal(await startQueuedCampaign(database.db, fresh.id), null);
    // Paused and resumed before its start job ran: queued again, with its round 0 written.
    await createRound(database.db, {
      campaignId: fresh.id,
      index: 0,
      strategy: "random",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: fingerprint,
      candidates: [candidate("start-a")],
    });
    await database.db.campaign.update({ where: { id: fresh.id }, data: { status: "queued" } });
    assert.equal((await startQueuedCampaign(database.db, fresh.id))?.hasRounds, true);
  });

  describe("closeRound", () => {
    /** A campaign in `status` with one round of `hashes`, the first `recorded` of them evaluated. */
    async function roundOf(
      name: string,
      status: "running" | "paused",
      budget: number,
      hashes: string[],
      recorded: number,
    ) {
      const campaign = await database.db.campaign.update({
        where: { id: (await newCampaign(name)).id },
        data: { status, budgetEvaluations: budget },
      });
      const round = await createRound(database.db, {
        campaignId: campaign.id,
        index: 0,
        strategy: "random",
        searchSpace: "nas-bench-201",
        evaluatorFingerprint: fingerprint,
        candidates: hashes.map(candidate),
      });
      for (const [i, trial] of round.trials.slice(0, recorded).entries()) {
        await recordEvaluation(database.db, {
          trialId: trial.id,
          architectureId: trial.architectureId,
          evaluatorFingerprint: fingerprint,
          evaluator: { kind: "test" },
          result: { validationAccuracy: 60 + 10 * i, testAccuracy: 1, flops: 1, params: 1 },
          worker: "test",
          durationMs: 1,
        });
      }
      return { campaign, round };
    }

    test("fails the pending trials and returns the prediction errors; budget left: campaign runs on", async () => {
      const { campaign, round } = await roundOf("close-1", "running", 3, ["cl-a", "cl-b"], 1);
      const pending = round.trials[1];
      assert.ok(pending);
      const closed = await closeRound(database.db, round.id, new Map([[pending.id, "boom"]]));
      assert.ok(closed);
      assert.equal(closed.round.status, "completed");
      assert.equal(closed.wasRunning, true);
      // Predicted 50, measured 60: one completed trial with a prediction.
      assert.deepEqual(closed.predictionErrors, [10]);
      assert.equal(closed.campaignCompleted, false);
      const failed = await database.db.trial.findUniqueOrThrow({ where: { id: pending.id } });
      assert.equal(failed.status, "failed");
      assert.equal(failed.error, "boom");
      const after = await database.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
      assert.equal(after.status, "running");
    });

    test("completes a running campaign whose budget is spent, once", async () => {
      const { campaign, round } = await roundOf("close-2", "running", 2, ["cl-c", "cl-d"], 2);
      const closed = await closeRound(database.db, round.id);
      assert.equal(closed?.campaignCompleted, true);
      assert.deepEqual(closed?.predictionErrors.sort(), [10, 20]);
      const after = await database.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
      assert.equal(after.status, "completed");
      assert.ok(after.finishedAt instanceof Date);
      // A redelivered round job: not measured again, and the campaign is not ended twice.
      const again = await closeRound(database.db, round.id);
      assert.equal(again?.wasRunning, false);
      assert.equal(again?.campaignCompleted, false);
    });

    test("leaves a paused campaign paused, spent budget or not; null for an unknown round", async () => {
      const { campaign, round } = await roundOf("close-3", "paused", 1, ["cl-e"], 1);
      const closed = await closeRound(database.db, round.id);
      assert.equal(closed?.campaignCompleted, false);
      const after = await database.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
      assert.equal(after.status, "paused");
      assert.equal(await closeRound(database.db, "00000000-0000-4000-8000-000000000000"), null);
    });
  });
});
