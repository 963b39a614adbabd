import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createRound, recordEvaluation } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

// (validation accuracy, FLOPs) of one campaign's evaluations, recorded in this order.
const points: [number, number][] = [
  [80, 10],
  [85, 30],
  [83, 20],
  [90, 60],
  [85, 25],
  [70, 5],
  [90, 70],
  [60, 50],
];

describe("result views", () => {
  let database: TestDatabase;
  let campaignId: string;

  before(async () => {
    database = await createTestDatabase("views");
    const { db } = database;
    const evaluator = { kind: "nas-bench-201", dataset: "cifar10" };
    const campaign = await db.campaign.create({
      data: {
        name: "views",
        searchSpace: "nas-bench-201",
        evaluator,
        evaluatorFingerprint: "fp",
        strategy: { kind: "random" },
        budgetEvaluations: points.length,
        roundSize: points.length,
        seed: 1,
      },
    });
    campaignId = campaign.id;
    const round = await createRound(db, {
      campaignId,
      index: 0,
      strategy: "random",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: "fp",
      candidates: points.map((_, i) => ({ archString: `cell-${i}`, canonicalHash: `hash-${i}` })),
    });
    for (const [i, [accuracy, flops]] of points.entries()) {
      const trial = round.trials.find((t) => t.archString === `cell-${i}`);
      assert.ok(trial);
      await recordEvaluation(db, {
        trialId: trial.id,
        architectureId: trial.architectureId,
        evaluatorFingerprint: "fp",
        evaluator,
        result: {
          validationAccuracy: accuracy,
          testAccuracy: accuracy + 3,
          flops,
          params: flops * 10,
        },
        worker: "w",
        durationMs: 1,
      });
      await new Promise((resolve) => setTimeout(resolve, 5)); // distinct recorded_at
    }
  });
  after(async () => {
    await database.drop();
  });

  const query = <Row>(sql: string) =>
    database.db.$queryRawUnsafe<Row[]>(sql.replaceAll("VIEW.", `"${database.schema}".`));

  test("campaign_pareto_front holds exactly the non-dominated evaluations", async () => {
    const rows = await query<{ arch_string: string }>(
      `SELECT arch_string FROM VIEW.campaign_pareto_front WHERE campaign_id = '${campaignId}'`,
    );
    const dominated = (i: number) =>
      points.some(
        ([a, f], j) =>
          j !== i &&
          a >= (points[i]?.[0] as number) &&
          f <= (points[i]?.[1] as number) &&
          (a > (points[i]?.[0] as number) || f < (points[i]?.[1] as number)),
      );
    const expected = points.map((_, i) => i).filter((i) => !dominated(i));
    assert.deepEqual(
      rows.map((r) => r.arch_string).sort(),
      expected.map((i) => `cell-${i}`).sort(),
    );
    assert.deepEqual(expected, [0, 2, 3, 4, 5]);
  });

  test("campaign_leaderboard ranks by validation accuracy, ties by test accuracy", async () => {
    const rows = await query<{ rank: bigint; validation_accuracy: number }>(
      `SELECT rank, validation_accuracy FROM VIEW.campaign_leaderboard
       WHERE campaign_id = '${campaignId}' ORDER BY rank, arch_string`,
    );
    assert.deepEqual(
      rows.map((r) => [Number(r.rank), r.validation_accuracy]),
      [
        [1, 90],
        [1, 90],
        [3, 85],
        [3, 85],
        [5, 83],
        [6, 80],
        [7, 70],
        [8, 60],
      ],
    );
  });

  test("campaign_progress numbers evaluations in order and keeps the best so far", async () => {
    const rows = await query<{ evaluation: bigint; best_validation_accuracy: number }>(
      `SELECT evaluation, best_validation_accuracy FROM VIEW.campaign_progress
       WHERE campaign_id = '${campaignId}' ORDER BY evaluation`,
    );
    let best = Number.NEGATIVE_INFINITY;
    const expected = points.map(([accuracy], i) => {
      best = Math.max(best, accuracy);
      return [i + 1, best];
    });
    assert.deepEqual(
      rows.map((r) => [Number(r.evaluation), r.best_validation_accuracy]),
      expected,
    );
  });

  test("best_architecture_per_dataset picks the most accurate architecture per evaluator", async () => {
    const rows = await query<{
      dataset: string;
      validation_accuracy: number;
      test_accuracy: number;
    }>(
      "SELECT dataset, validation_accuracy, test_accuracy FROM VIEW.best_architecture_per_dataset",
    );
    assert.deepEqual(rows, [{ dataset: "cifar10", validation_accuracy: 90, test_accuracy: 93 }]);
  });

  test("a missing test accuracy (enas-6-table) is kept as NULL and ranks after a known one", async () => {
    const { db } = database;
    const evaluator = { kind: "enas-6-table", dataset: "cifar10" };
    const campaign = await db.campaign.create({
      data: {
        name: "enas views",
        searchSpace: "enas-macro-6",
        evaluator,
        evaluatorFingerprint: "fp-enas",
        strategy: { kind: "random" },
        budgetEvaluations: 2,
        roundSize: 2,
        seed: 1,
      },
    });
    const round = await createRound(db, {
      campaignId: campaign.id,
      index: 0,
      strategy: "random",
      searchSpace: "enas-macro-6",
      evaluatorFingerprint: "fp-enas",
      candidates: ["enas-a", "enas-b"].map((archString) => ({
        archString,
        canonicalHash: archString,
      })),
    });
    // Equal validation accuracy: the tie goes to the known test accuracy, NULL last.
    for (const [archString, testAccuracy] of [
      ["enas-a", null],
      ["enas-b", 50],
    ] as const) {
      const trial = round.trials.find((t) => t.archString === archString);
      assert.ok(trial);
      await recordEvaluation(db, {
        trialId: trial.id,
        architectureId: trial.architectureId,
        evaluatorFingerprint: "fp-enas",
        evaluator,
        result: { validationAccuracy: 74, testAccuracy, flops: 1, params: 1 },
        worker: "w",
        durationMs: 1,
      });
    }
    const leaderboard = await query<{
      rank: bigint;
      arch_string: string;
      test_accuracy: number | null;
    }>(
      `SELECT rank, arch_string, test_accuracy FROM VIEW.campaign_leaderboard
       WHERE campaign_id = '${campaign.id}' ORDER BY rank`,
    );
    assert.deepEqual(
      leaderboard.map((r) => [Number(r.rank), r.arch_string, r.test_accuracy]),
      [
        [1, "enas-b", 50],
        [2, "enas-a", null],
      ],
    );
    const best = await query<{ evaluator: string; search_space: string; arch_string: string }>(
      "SELECT evaluator, search_space, arch_string FROM VIEW.best_architecture_per_dataset ORDER BY evaluator",
    );
    assert.deepEqual(
      best.map((row) => [row.evaluator, row.search_space]),
      [
        ["enas-6-table", "enas-macro-6"],
        ["nas-bench-201", "nas-bench-201"],
      ],
    );
    assert.equal(best[0]?.arch_string, "enas-b");
  });
});
