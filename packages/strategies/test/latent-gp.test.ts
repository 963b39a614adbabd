import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { chooseByExpectedImprovement, expectedImprovement, LatentGp } from "../src/latent-gp.ts";

/** A smooth 2-d function with its maximum at (1, 1). */
const f = ([x, y]: readonly number[]) => -(((x ?? 0) - 1) ** 2) - ((y ?? 0) - 1) ** 2;
const grid = (step: number, from: number, to: number) => {
  const points: number[][] = [];
  for (let x = from; x <= to + 1e-9; x += step) {
    for (let y = from; y <= to + 1e-9; y += step) points.push([x, y]);
  }
  return points;
};

describe("LatentGp", () => {
  test("interpolates what it was fitted to and is certain there, uncertain far away", () => {
    const points = grid(0.5, -1, 2);
    const gp = LatentGp.fit(
      points,
      points.map((p) => f(p)),
    );
    const [at, between, far] = gp.predict([
      [0.5, 0.5],
      [0.75, 1.25],
      [10, 10],
    ]);
    assert.ok(Math.abs((at?.mean ?? 0) - f([0.5, 0.5])) < 0.05, JSON.stringify(at));
    assert.ok(Math.abs((between?.mean ?? 0) - f([0.75, 1.25])) < 0.1, JSON.stringify(between));
    assert.ok((at?.variance ?? 1) < 0.05 * (far?.variance ?? 0), JSON.stringify([at, far]));
    // Far from every point the posterior falls back to the targets' mean.
    const targets = points.map((p) => f(p));
    const mean = targets.reduce((s, t) => s + t, 0) / targets.length;
    assert.ok(Math.abs((far?.mean ?? 0) - mean) < 0.05, JSON.stringify(far));
  });

  test("picks a noise level that matches the data: larger for noisy targets", () => {
    const points = grid(0.25, -1, 2);
    let state = 7;
    const noise = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31 - 0.5;
    };
    const clean = LatentGp.fit(
      points,
      points.map((p) => f(p)),
    );
    const noisy = LatentGp.fit(
      points,
      points.map((p) => f(p) + 3 * noise()),
    );
    assert.ok(
      noisy.hyperparameters.noise > clean.hyperparameters.noise,
      JSON.stringify([clean.hyperparameters, noisy.hyperparameters]),
    );
  });

  test("refuses fewer than two points or mismatched targets", () => {
    assert.throws(() => LatentGp.fit([[0, 0]], [1]), /≥ 2 points/);
    assert.throws(() => LatentGp.fit([[0], [1]], [1]), /≥ 2 points/);
  });
});

describe("expected improvement", () => {
  test("grows with the mean and, below the best, with the uncertainty", () => {
    assert.ok(expectedImprovement({ mean: 1, variance: 0.1 }, 0) > 0.99);
    assert.equal(expectedImprovement({ mean: -1, variance: 0 }, 0), 0);
    const sure = expectedImprovement({ mean: -0.5, variance: 0.01 }, 0);
    const unsure = expectedImprovement({ mean: -0.5, variance: 1 }, 0);
    assert.ok(unsure > sure && sure >= 0, JSON.stringify({ sure, unsure }));
    // The closed form against a numerical integral of max(0, x - best) over N(mean, sd²).
    const mean = 0.3;
    const sd = 0.8;
    let integral = 0;
    for (let x = mean - 10 * sd; x < mean + 10 * sd; x += 1e-3) {
      const density = Math.exp(-0.5 * ((x - mean) / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI));
      integral += Math.max(0, x - 0.5) * density * 1e-3;
    }
    const closed = expectedImprovement({ mean, variance: sd * sd }, 0.5);
    assert.ok(Math.abs(closed - integral) < 1e-4, JSON.stringify({ closed, integral }));
  });
});

describe("chooseByExpectedImprovement", () => {
  const observedPoints = [
    [-1, -1],
    [0, 0],
    [2, -1],
    [-1, 2],
    [0.5, 0.5],
  ];
  const observed = { points: observedPoints, targets: observedPoints.map((p) => f(p)) };

  test("first takes the candidate nearest the maximum, then spreads the batch out", () => {
    const candidates = [
      [-1, -0.9],
      [1, 1],
      [1.05, 1],
      [3, 3],
      [1, 1.05],
      [-0.9, -1],
    ];
    const chosen = chooseByExpectedImprovement(observed, candidates, 3);
    assert.equal(chosen.length, 3);
    assert.equal(new Set(chosen).size, 3);
    assert.ok([1, 2, 4].includes(chosen[0] as number), JSON.stringify(chosen));
    // Not all three from the cluster at (1, 1): the believer lowers the value of a point next to
    // one already chosen.
    assert.ok(
      chosen.some((i) => ![1, 2, 4].includes(i)),
      `the batch stayed in one cluster: ${JSON.stringify(chosen)}`,
    );
  });

  test("with a prior, follows the prior where the GP has no data", () => {
    const candidates = [
      [8, 8],
      [-8, 8],
      [8, -8],
    ];
    const priors = { observed: observed.targets, candidates: [-5, 3, -5] };
    assert.deepEqual(chooseByExpectedImprovement(observed, candidates, 1, priors), [1]);
  });

  test("asked for more than there are candidates, returns them all once", () => {
    const chosen = chooseByExpectedImprovement(
      observed,
      [
        [1, 1],
        [0, 1],
      ],
      5,
    );
    assert.deepEqual([...chosen].sort(), [0, 1]);
  });
});
