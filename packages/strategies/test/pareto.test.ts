import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { chooseByHypervolumeGain, dominates, hypervolume, nonDominated } from "../src/pareto.ts";

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

  test("chooseByHypervolumeGain takes the largest gain first and stops when nothing adds any", () => {
    const front = [{ accuracy: 90, flops: 5 }];
    const reference = { accuracy: 80, flops: 10 };
    const candidates = [
      { accuracy: 85, flops: 6 }, // dominated by the front: no gain
      { accuracy: 88, flops: 2 }, // cheap corner: gain 3 * 8 = 24
      { accuracy: 95, flops: 8 }, // accurate corner: gain 2 * 5 = 10
      { accuracy: 87, flops: 3 }, // gain 2 * 7 = 14 alone, none once (88, 2) is chosen
    ];
    assert.deepEqual(chooseByHypervolumeGain(front, candidates, 4, reference), [1, 2]);
    assert.deepEqual(chooseByHypervolumeGain(front, candidates, 1, reference), [1]);
    assert.deepEqual(chooseByHypervolumeGain(front, [candidates[0] as never], 3, reference), []);
  });
});
