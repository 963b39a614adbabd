import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  type Candidate,
  cancelCampaign,
  createCampaign,
  createRound,
  findEvaluationStates,
  type RecordEvaluationInput,
  recordAdmittedEvaluations,
  recordEvaluations,
} from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

// A worker's concurrent jobs read their state and record their results in shared statements
// (findEvaluationStates, recordEvaluations). Each input must get what it would get alone.
describe("batched evaluation statements", () => {
  let database: TestDatabase;
  const fingerprint = "evaluations-test-evaluator";
  let next = 0;

  before(async () => {
    database = await createTestDatabase("evaluations");
  });
  after(async () => {
    await database.drop();
  });

  /** A new campaign with one round proposing `hashes` (classes shared across campaigns). */
  async function roundOf(hashes: string[]) {
    const campaign = await createCampaign(database.db, {
      name: `c${next++}`,
      searchSpace: "nas-bench-201",
      evaluator: { kind: "test" },
      evaluatorFingerprint: fingerprint,
      strategy: { kind: "random" },
      budgetEvaluations: hashes.length,
      roundSize: hashes.length,
      seed: 1,
    });
    const candidates: Candidate[] = hashes.map((hash) => ({
      archString: `arch-${hash}`,
      canonicalHash: hash,
    }));
    const round = await createRound(database.db, {
      campaignId: campaign.id,
      index: 0,
      strategy: "random",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: fingerprint,
      candidates,
    });
    return { campaign, trials: round.trials };
  }

  const input = (
    trial: { id: string; architectureId: string },
    accuracy: number,
  ): RecordEvaluationInput => ({
    trialId: trial.id,
    architectureId: trial.architectureId,
    evaluatorFingerprint: fingerprint,
    evaluator: { kind: "test" },
    result: {
      validationAccuracy: accuracy,
      testAccuracy: accuracy - 1,
      flops: 10,
      params: 2,
      metrics: { note: `run ${accuracy}` },
      stoppedEarly: accuracy < 20,
      epochs: accuracy < 20 ? 3 : null,
    },
    worker: "w",
    durationMs: 12.6,
  });

  test("distinct results: one row each, every trial completed, outcomes in input order", async () => {
    const { trials } = await roundOf(["d1", "d2", "d3"]);
    const inputs = trials.map((trial, i) => input(trial, 50 + i));
    const outcomes = await recordEvaluations(database.db, [...inputs].reverse());
    assert.deepEqual(
      outcomes.map((o) => o.evaluation.validationAccuracy),
      [52, 51, 50],
    );
    assert.ok(outcomes.every((o) => o.inserted && o.trialCompleted));
    const [first] = outcomes.slice(-1);
    assert.equal(first?.evaluation.testAccuracy, 49);
    assert.deepEqual(first?.evaluation.metrics, { note: "run 50" });
    assert.equal(first?.evaluation.durationMs, 13);
    assert.equal(first?.evaluation.epochs, null);
    const stored = await database.db.trial.findMany({
      where: { id: { in: trials.map((t) => t.id) } },
    });
    assert.ok(stored.every((t) => t.status === "completed" && !t.cached && t.finishedAt));
  });

  test("two inputs for one architecture in one batch: one row, the first's; the second is cached", async () => {
    const a = await roundOf(["same"]);
    const b = await roundOf(["same"]);
    const [ta, tb] = [a.trials[0], b.trials[0]];
    assert.ok(ta && tb && ta.architectureId === tb.architectureId);
    const [first, second] = await recordEvaluations(database.db, [input(ta, 61), input(tb, 62)]);
    assert.equal(first?.inserted, true);
    assert.equal(second?.inserted, false);
    assert.equal(first?.evaluation.id, second?.evaluation.id);
    assert.equal(second?.evaluation.validationAccuracy, 61, "the first input's figures are kept");
    const rows = await database.db.evaluation.count({
      where: { architectureId: ta.architectureId, evaluatorFingerprint: fingerprint },
    });
    assert.equal(rows, 1);
    const stored = await database.db.trial.findMany({ where: { id: { in: [ta.id, tb.id] } } });
    const byId = new Map(stored.map((t) => [t.id, t]));
    assert.equal(byId.get(ta.id)?.cached, false);
    assert.equal(byId.get(tb.id)?.cached, true);
    assert.equal(byId.get(tb.id)?.evaluationId, first?.evaluation.id);
  });

  test("a result recorded before is found, and a cancelled campaign's trial stays failed", async () => {
    const before = await roundOf(["known"]);
    const [recorded] = await recordEvaluations(database.db, [input(before.trials[0] as never, 70)]);
    const later = await roundOf(["fresh-x", "fresh-y"]);
    const cancelled = await roundOf(["fresh-z"]);
    await cancelCampaign(database.db, cancelled.campaign.id);
    // A third campaign asks for "known" again: its trial is written completed from the cache,
    // so record it for a trial of `later` instead, whose architecture differs: a fresh row.
    const [tx, ty] = later.trials;
    assert.ok(tx && ty);
    const knownTrial = { id: ty.id, architectureId: before.trials[0]?.architectureId as string };
    const outcomes = await recordEvaluations(database.db, [
      input(tx, 40),
      input(knownTrial, 99),
      input(cancelled.trials[0] as never, 80),
    ]);
    assert.deepEqual(
      outcomes.map((o) => [o.inserted, o.trialCompleted]),
      [
        [true, true],
        [false, true],
        [true, false],
      ],
    );
    assert.equal(outcomes[1]?.evaluation.id, recorded?.evaluation.id);
    assert.equal(outcomes[1]?.evaluation.validationAccuracy, 70, "the existing row wins");
    const failed = await database.db.trial.findUnique({ where: { id: cancelled.trials[0]?.id } });
    assert.equal(failed?.status, "failed");
    assert.equal(failed?.evaluationId, null);
  });

  test("concurrent batches over the same architectures: one row per architecture, every trial completed", async () => {
    const hashes = Array.from({ length: 8 }, (_, i) => `race-${i}`);
    // Six campaigns, each recording all eight in one batch, in its own order, all at once.
    const rounds = await Promise.all(Array.from({ length: 6 }, () => roundOf(hashes)));
    const outcomes = await Promise.all(
      rounds.map(({ trials }, r) =>
        recordEvaluations(
          database.db,
          trials
            .map((_, k) => trials[(k * 3 + r) % trials.length] as (typeof trials)[0])
            .map((t) => input(t, 30 + r)),
        ),
      ),
    );
    const all = outcomes.flat();
    assert.equal(
      all.filter((o) => o.inserted).length,
      hashes.length,
      "one insert per architecture",
    );
    assert.ok(all.every((o) => o.trialCompleted));
    const rows = await database.db.evaluation.groupBy({
      by: ["architectureId"],
      where: {
        evaluatorFingerprint: fingerprint,
        architectureId: { in: rounds[0]?.trials.map((t) => t.architectureId) },
      },
      _count: { _all: true },
    });
    assert.equal(rows.length, hashes.length);
    assert.ok(rows.every((row) => row._count._all === 1));
    const trialIds = rounds.flatMap(({ trials }) => trials.map((t) => t.id));
    const stored = await database.db.trial.findMany({ where: { id: { in: trialIds } } });
    assert.ok(stored.every((t) => t.status === "completed" && t.evaluationId));
  });

  test("findEvaluationStates: one state per job in order, with missing campaigns and trials as null", async () => {
    const { campaign, trials } = await roundOf(["state-a", "state-b"]);
    const [ta, tb] = trials;
    assert.ok(ta && tb);
    const [recorded] = await recordEvaluations(database.db, [input(ta, 55)]);
    const key = (trial: { id: string; architectureId: string }, campaignId = campaign.id) => ({
      campaignId,
      trialId: trial.id,
      architectureId: trial.architectureId,
      evaluatorFingerprint: fingerprint,
    });
    const states = await findEvaluationStates(database.db, [
      key(tb),
      key(ta),
      key({ id: randomUUID(), architectureId: ta.architectureId }, randomUUID()),
    ]);
    assert.equal(states.length, 3);
    assert.deepEqual(states[0], {
      campaignStatus: "queued",
      trial: { id: tb.id, status: "pending", evaluationId: null },
      evaluation: null,
    });
    assert.equal(states[1]?.trial?.status, "completed");
    assert.equal(states[1]?.evaluation?.id, recorded?.evaluation.id);
    assert.equal(states[2]?.campaignStatus, null);
    assert.equal(states[2]?.trial, null);
    assert.equal(
      states[2]?.evaluation?.id,
      recorded?.evaluation.id,
      "the cache answers by architecture",
    );
    assert.deepEqual(await findEvaluationStates(database.db, []), []);
  });

  test("recordAdmittedEvaluations: records only jobs the gate would let run, in one statement", async () => {
    const running = await roundOf(["adm-a", "adm-b", "adm-c"]);
    await database.db.campaign.update({
      where: { id: running.campaign.id },
      data: { status: "running" },
    });
    const [ta, tb, tc] = running.trials;
    assert.ok(ta && tb && tc);
    const paused = await roundOf(["adm-d"]);
    await database.db.campaign.update({
      where: { id: paused.campaign.id },
      data: { status: "paused" },
    });
    const cancelled = await roundOf(["adm-e"]);
    await cancelCampaign(database.db, cancelled.campaign.id);
    // tb already recorded (a duplicate delivery would find it completed).
    await recordEvaluations(database.db, [input(tb, 40)]);
    // Another campaign already recorded tc's architecture: it is answered by that row.
    const other = await roundOf(["adm-c"]);
    await recordEvaluations(database.db, [input(other.trials[0] as never, 45)]);
    const admitted = (trial: { id: string; architectureId: string }, campaignId: string) => ({
      ...input(trial, 50),
      campaignId,
    });
    const outcomes = await recordAdmittedEvaluations(database.db, [
      admitted(ta, running.campaign.id),
      admitted(tb, running.campaign.id),
      admitted(paused.trials[0] as never, paused.campaign.id),
      admitted(cancelled.trials[0] as never, cancelled.campaign.id),
      admitted({ id: randomUUID(), architectureId: ta.architectureId }, running.campaign.id),
      admitted(tc, running.campaign.id),
    ]);
    assert.equal(outcomes.length, 6);
    const [a, b, p, c, missing, cached] = outcomes;
    assert.equal(a?.inserted, true);
    assert.equal(a?.trialCompleted, true);
    assert.equal(a?.evaluation.validationAccuracy, 50);
    // Not admitted: completed already, paused, cancelled, no such trial. Nothing written.
    assert.deepEqual([b, p, c, missing], [null, null, null, null]);
    assert.equal(cached?.inserted, false);
    assert.equal(cached?.evaluation.validationAccuracy, 45);
    const trials = await database.db.trial.findMany({
      where: { id: { in: [ta.id, tb.id, tc.id, (paused.trials[0] as { id: string }).id] } },
    });
    const byId = new Map(trials.map((t) => [t.id, t]));
    assert.equal(byId.get(ta.id)?.cached, false);
    assert.equal(byId.get(tc.id)?.status, "completed");
    assert.equal(byId.get(tc.id)?.cached, true);
    assert.equal(byId.get((paused.trials[0] as { id: string }).id)?.status, "pending");
    assert.equal(
      await database.db.evaluation.count({
        where: { architectureId: (paused.trials[0] as { architectureId: string }).architectureId },
      }),
      0,
    );
    assert.equal(
      (
        await database.db.evaluation.findFirstOrThrow({
          where: { architectureId: tb.architectureId },
        })
      ).validationAccuracy,
      40,
    );
  });
});
