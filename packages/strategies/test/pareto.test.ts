import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dominates, hypervolume, nonDominated } from "../src/pareto.ts";

describe("Pareto helpers (accuracy up, cost down)", () => {
  test("dominates needs one strict improvement and no loss", () => {
    assert.ok(dominates({ accuracy: 2, flops: 1 }, { accuracy: 1, flops: 1 }));
    assert.ok(dominates({ accuracy: 1, flops: 0 }, { accuracy: 1, flops: 1 }));
    assert.ok(!dominates({ accuracy: 1, flops: 1 }, { accuracy: 1, flops: 1 }));
    assert.ok(!dominates({ accuracy: 2, flops: 2 }, { accuracy: 1, flops: 1 }));
  });

  test("nonDominated keeps the front by increasing cost", () => {
    const points = [
      { accuracy: 90, flops: 3 },
      { accuracy: 80, flops: 1 },
      { accuracy: 85, flops: 2 },
      { accuracy: 84, flops: 2.5 }, // dominated by (85, 2)
      { accuracy: 70, flops: 1 }, // dominated by (80, 1)
      { accuracy: 90, flops: 4 }, // dominated by (90, 3)
    ];
    assert.deepEqual(nonDominated(points), [
      { accuracy: 80, flops: 1 },
      { accuracy: 85, flops: 2 },
      { accuracy: 90, flops: 3 },
    ]);
  });

  test("hypervolume adds the strips of the front and ignores points beyond the reference", () => {
    const reference = { accuracy: 0, flops: 10 };
    assert.equal(hypervolume([], reference), 0);
    assert.equal(hypervolume([{ accuracy: 5, flops: 4 }], reference), 30);
    // Two points: FLOPs [2, 6) up to accuracy 3, [6, 10) up to accuracy 5.
    const two = [
      { accuracy: 3, flops: 2 },
      { accuracy: 5, flops: 6 },
    ];
    assert.equal(hypervolume(two, reference), 4 * 3 + 4 * 5);
    // A dominated point and points outside the reference box change nothing.
    assert.equal(
      hypervolume(
        [...two, { accuracy: 2, flops: 7 }, { accuracy: 9, flops: 11 }, { accuracy: -1, flops: 0 }],
        reference,
      ),
      32,
    );
  });
});
