import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  frontFractionAfter,
  medianHypervolumeRatioAfter,
  type ParetoRow,
  paretoReference,
} from "../../bench/lib/pareto-metrics.ts";

const row = (canonicalHash: string, validationAccuracy: number, flops: number): ParetoRow => ({
  canonicalHash,
  validationAccuracy,
  flops,
});

/**
 * A small table: classes A–F, with isomorphic rows (two training runs of B, two of F) and a tie
 * (C and D at the same position).
 */
const rows = [
  row("A", 90, 100), // front: the most accurate
  row("B", 85, 40), // front
  row("B", 82, 60), // B's other run: dominated by its own first
  row("C", 80, 20), // front, tied with D
  row("D", 80, 20),
  row("E", 60, 10), // front: the cheapest
  row("F", 70, 80), // dominated
  row("F", 84, 90), // dominated by B's first run
  row("G", 75, 50), // dominated
];

describe("paretoReference", () => {
  test("the true front: distinct non-dominated positions, with the classes on each", () => {
    const reference = paretoReference(rows);
    assert.equal(reference.rows, 9);
    assert.equal(reference.classes, 7);
    assert.deepEqual(reference.trueFront, [
      { validationAccuracy: 60, flops: 10, classes: ["E"] },
      { validationAccuracy: 80, flops: 20, classes: ["C", "D"] },
      { validationAccuracy: 85, flops: 40, classes: ["B"] },
      { validationAccuracy: 90, flops: 100, classes: ["A"] },
    ]);
    // Medians of the nine rows: accuracy 80, FLOPs 50.
    assert.deepEqual(reference.referencePoint, { validationAccuracy: 80, flops: 50 });
    // Only B's (85, 40) beats (80, 50) in both: (85 − 80) × (50 − 40).
    assert.equal(reference.trueFrontHypervolume, 50);
    assert.equal(reference.trueFrontAboveReference, 1);
  });

  test("rejects an empty table and non-finite values", () => {
    assert.throws(() => paretoReference([]), /at least one row/);
    assert.throws(() => paretoReference([row("A", Number.NaN, 1)]), /finite/);
  });
});

describe("front fraction and median-reference hypervolume", () => {
  const reference = paretoReference(rows);
  const evaluation = (canonicalHash: string, validationAccuracy: number, flops: number) => ({
    canonicalHash,
    validationAccuracy,
    flops,
  });

  test("a point is found through any of its classes, by any row of the class", () => {
    const run = [
      evaluation("G", 75, 50),
      evaluation("D", 80, 20), // the tie: finds (80, 20)
      evaluation("B", 82, 60), // B's other run: finds (85, 40) all the same
      evaluation("A", 90, 100),
    ];
    assert.equal(frontFractionAfter(run, 0, reference), 0);
    assert.equal(frontFractionAfter(run, 1, reference), 0);
    assert.equal(frontFractionAfter(run, 2, reference), 1 / 4);
    assert.equal(frontFractionAfter(run, 3, reference), 2 / 4);
    assert.equal(frontFractionAfter(run, 4, reference), 3 / 4);
    assert.equal(frontFractionAfter(run, 100, reference), 3 / 4);
    assert.equal(frontFractionAfter([...run, evaluation("E", 60, 10)], 5, reference), 1);
  });

  test("the hypervolume counts the points the run got, relative to the true front's", () => {
    // B's other run (82, 60) is above the median accuracy but not below the median FLOPs.
    assert.equal(medianHypervolumeRatioAfter([evaluation("B", 82, 60)], 1, reference), 0);
    assert.equal(medianHypervolumeRatioAfter([evaluation("B", 85, 40)], 1, reference), 1);
    // (82, 45): (82 − 80) × (50 − 45) = 10 of 50; with (81, 30): + (81 − 80) × (45 − 30) = 15.
    const run = [evaluation("X", 82, 45), evaluation("Y", 81, 30)];
    assert.equal(medianHypervolumeRatioAfter(run, 1, reference), 10 / 50);
    assert.equal(medianHypervolumeRatioAfter(run, 2, reference), 25 / 50);
    assert.equal(medianHypervolumeRatioAfter([], 10, reference), 0);
  });
});
