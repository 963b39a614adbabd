import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  accuracyFlopsBounds,
  accuracyFlopsHypervolume,
  hypervolume2d,
  type Point2,
  paretoFront2d,
  toMaximisedPoint,
} from "../../bench/lib/hypervolume.ts";

/** Exact area for integer points: counts the unit cells [i, i+1) × [j, j+1) some point dominates. */
function gridHypervolume(points: readonly Point2[], reference: Point2): number {
  let cells = 0;
  for (let i = reference[0]; i < 20; i += 1) {
    for (let j = reference[1]; j < 20; j += 1) {
      if (points.some(([x, y]) => x >= i + 1 && y >= j + 1)) cells += 1;
    }
  }
  return cells;
}

/** Small deterministic generator, so a failure is reproducible. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

describe("hypervolume2d (both objectives maximised)", () => {
  test("no points, or none better than the reference, give 0", () => {
    assert.equal(hypervolume2d([], [0, 0]), 0);
    assert.equal(
      hypervolume2d(
        [
          [0, 5],
          [5, 0],
          [-1, 3],
          [2, -2],
        ],
        [0, 0],
      ),
      0,
    );
  });

  test("one point is the rectangle it spans with the reference", () => {
    assert.equal(hypervolume2d([[3, 2]], [0, 0]), 6);
    assert.equal(hypervolume2d([[3, 2]], [1, -1]), 6);
  });

  test("a staircase adds the strips; order, repeats and dominated points do not matter", () => {
    const staircase: Point2[] = [
      [1, 3],
      [2, 2],
      [3, 1],
    ];
    // 3×1 + 2×1 + 1×1
    assert.equal(hypervolume2d(staircase, [0, 0]), 6);
    const noisy: Point2[] = [
      [2, 2],
      [1, 1],
      [3, 1],
      [1, 3],
      [2, 2],
      [0.5, 0.5],
      [3, 0.5],
    ];
    assert.equal(hypervolume2d(noisy, [0, 0]), 6);
    assert.equal(hypervolume2d([...noisy].reverse(), [0, 0]), 6);
  });

  test("points partly beyond the reference count only inside it", () => {
    // [5, 1] covers x in (0, 5], y in (0, 1]; [-2, 4] is not better in x and adds nothing.
    assert.equal(
      hypervolume2d(
        [
          [5, 1],
          [-2, 4],
        ],
        [0, 0],
      ),
      5,
    );
  });

  test("matches an exact cell count on random integer point sets", () => {
    const random = lcg(42);
    for (let trial = 0; trial < 200; trial += 1) {
      const n = Math.floor(random() * 8);
      const points: Point2[] = Array.from({ length: n }, () => [
        Math.floor(random() * 12) - 2,
        Math.floor(random() * 12) - 2,
      ]);
      const reference: Point2 = [Math.floor(random() * 3), Math.floor(random() * 3)];
      assert.equal(hypervolume2d(points, reference), gridHypervolume(points, reference));
    }
  });

  test("rejects non-finite input", () => {
    assert.throws(() => hypervolume2d([[Number.NaN, 1]], [0, 0]), /finite/);
    assert.throws(() => hypervolume2d([[1, 1]], [0, Number.POSITIVE_INFINITY]), /finite/);
  });
});

describe("paretoFront2d", () => {
  test("keeps the non-dominated points once, by the first objective descending", () => {
    const front = paretoFront2d([
      [1, 3],
      [2, 2],
      [2, 2],
      [1, 1],
      [3, 1],
      [2, 1],
    ]);
    assert.deepEqual(front, [
      [3, 1],
      [2, 2],
      [1, 3],
    ]);
  });
});

describe("accuracy/FLOPs hypervolume (accuracy maximised, FLOPs minimised)", () => {
  const table = [
    { accuracy: 10, flops: 100 },
    { accuracy: 90, flops: 500 },
    { accuracy: 50, flops: 200 },
    { accuracy: 30, flops: 900 },
  ];
  const bounds = accuracyFlopsBounds(table);

  test("bounds span the table", () => {
    assert.deepEqual(bounds, { accuracyMin: 10, accuracyMax: 90, flopsMin: 100, flopsMax: 900 });
  });

  test("normalises accuracy up and FLOPs down onto [0, 1]", () => {
    assert.deepEqual(toMaximisedPoint({ accuracy: 90, flops: 100 }, bounds), [1, 1]);
    assert.deepEqual(toMaximisedPoint({ accuracy: 10, flops: 900 }, bounds), [0, 0]);
    assert.deepEqual(toMaximisedPoint({ accuracy: 50, flops: 300 }, bounds), [0.5, 0.75]);
  });

  test("an ideal point has hypervolume 1; the reference corner adds nothing", () => {
    assert.equal(accuracyFlopsHypervolume([{ accuracy: 90, flops: 100 }], bounds), 1);
    assert.equal(accuracyFlopsHypervolume([{ accuracy: 10, flops: 900 }], bounds), 0);
  });

  test("a subset never has more hypervolume than the whole set", () => {
    const whole = accuracyFlopsHypervolume(table, bounds);
    // (90, 500) → [1, 0.5]; (50, 200) → [0.5, 0.875]: 1×0.5 + 0.5×0.375
    assert.equal(whole, 0.6875);
    for (const point of table) {
      assert.ok(accuracyFlopsHypervolume([point], bounds) <= whole);
    }
  });

  test("bounds need a non-empty range", () => {
    assert.throws(() => accuracyFlopsBounds([{ accuracy: 1, flops: 1 }]), /range/);
  });
});
