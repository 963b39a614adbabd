import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runCampaign } from "../../bench/lib/run-campaign.ts";
import {
  meanWithError,
  pairedDifference,
  reportedAfter,
  standardError,
} from "../../bench/lib/search-metrics.ts";
import { loadNb201XValidTable } from "../../packages/evaluators/src/nas-bench-201/x-valid-table.ts";

describe("search-bench statistics", () => {
  test("standard error of the mean = sample std / sqrt(n)", () => {
    // mean 5, sample variance 32/7 over 8 values
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    assert.equal(standardError(values), Math.sqrt(32 / 7) / Math.sqrt(8));
    assert.deepEqual(meanWithError([3]), { mean: 3, standardError: Number.NaN, count: 1 });
  });

  test("paired difference: per-seed differences, only over seeds both sides have", () => {
    const a = new Map([
      [0, 94.0],
      [1, 93.5],
      [2, 94.3],
      [7, 90.0],
    ]);
    const b = new Map([
      [0, 93.0],
      [1, 93.5],
      [2, 94.0],
      [9, 99.0],
    ]);
    const difference = pairedDifference(a, b);
    const diffs = [1.0, 0.0, 94.3 - 94.0];
    const m = diffs.reduce((s, d) => s + d, 0) / 3;
    assert.equal(difference.count, 3);
    assert.ok(Math.abs(difference.mean - m) < 1e-12);
    const sd = Math.sqrt(diffs.reduce((s, d) => s + (d - m) ** 2, 0) / 2);
    assert.ok(Math.abs(difference.standardError - sd / Math.sqrt(3)) < 1e-12);
    // Same figures on every seed: the difference is exactly zero with zero error.
    assert.deepEqual(pairedDifference(b, b), { mean: 0, standardError: 0, count: 4 });
  });

  test("reportedAfter breaks validation ties by test accuracy, treating null as lowest", () => {
    const base = { round: 0, canonicalHash: "", flops: 0, params: 0 };
    const evaluations = [
      { ...base, index: 0, archString: "a", validationAccuracy: 70, testAccuracy: null },
      { ...base, index: 1, archString: "b", validationAccuracy: 75, testAccuracy: null },
      { ...base, index: 2, archString: "c", validationAccuracy: 75, testAccuracy: null },
    ];
    assert.equal(reportedAfter(evaluations, 3)?.archString, "b");
  });
});

describe("runCampaign with a named target", () => {
  test("cifar100 campaigns see the x-valid accuracy and record the x-test one", async () => {
    const run = await runCampaign({
      strategySpec: { kind: "local-search" },
      seed: 4,
      budget: 20,
      roundSize: 10,
      target: { space: "nas-bench-201", dataset: "cifar100" },
    });
    const table = await loadNb201XValidTable();
    assert.equal(run.evaluations.length, 20);
    for (const evaluation of run.evaluations) {
      const row = table.byArch.get(evaluation.archString);
      assert.ok(row);
      assert.equal(evaluation.validationAccuracy, row.cifar100_valid_acc);
      assert.equal(evaluation.testAccuracy, row.cifar100_test_acc);
    }
  });

  test("a campaign needs a score or a target", async () => {
    await assert.rejects(
      runCampaign({ strategySpec: { kind: "random" }, seed: 0, budget: 1, roundSize: 1 }),
      /needs a score function or a target/,
    );
  });
});
