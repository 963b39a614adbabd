import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  createRandom,
  ENAS_LAYER_COUNT,
  ENAS_OPERATIONS,
  ENAS_SPACE_SIZE,
  enasSearchSpace,
  formatEnasArchString,
  parseEnasArchString,
  sampleEnasCell,
} from "../src/index.ts";

describe("ENAS-6 sampling", () => {
  test("every op and skip bit is drawn near its expected frequency", () => {
    const samples = 20_000;
    const opCounts = Array.from({ length: ENAS_LAYER_COUNT }, () =>
      new Array<number>(ENAS_OPERATIONS.length).fill(0),
    );
    const bitCounts = Array.from({ length: ENAS_LAYER_COUNT }, (_, i) =>
      new Array<number>(i).fill(0),
    );
    const rng = createRandom(2020);
    for (let k = 0; k < samples; k++) {
      const cell = sampleEnasCell(rng);
      // Every sample is a well-formed cell.
      assert.deepEqual(parseEnasArchString(formatEnasArchString(cell)), cell);
      cell.ops.forEach((op, layer) => {
        const counts = opCounts[layer] as number[];
        counts[op] = (counts[op] ?? 0) + 1;
      });
      cell.skips.forEach((bits, layer) => {
        const counts = bitCounts[layer] as number[];
        bits.forEach((bit, j) => {
          counts[j] = (counts[j] ?? 0) + bit;
        });
      });
    }
    // Op: expected 3,333 per (layer, op), sd ≈ 53; skip bit set: expected 10,000, sd ≈ 71.
    // Five standard deviations: a fair sampler fails this with probability < 1e-4.
    const opExpected = samples / ENAS_OPERATIONS.length;
    const opSd = Math.sqrt(samples * (1 / 6) * (5 / 6));
    opCounts.forEach((counts, layer) => {
      counts.forEach((n, op) => {
        assert.ok(Math.abs(n - opExpected) < 5 * opSd, `layer ${layer} op ${op}: ${n}`);
      });
    });
    const bitSd = Math.sqrt(samples / 4);
    bitCounts.forEach((counts, layer) => {
      counts.forEach((n, j) => {
        assert.ok(Math.abs(n - samples / 2) < 5 * bitSd, `layer ${layer} bit ${j}: ${n}`);
      });
    });
    assert.equal(bitCounts.flat().length, 15);
  });

  test("is deterministic given the rng, and the space's sample", () => {
    const draw = (seed: number) => {
      const rng = createRandom(seed);
      return Array.from({ length: 100 }, () => formatEnasArchString(sampleEnasCell(rng)));
    };
    assert.deepEqual(draw(7), draw(7));
    assert.notDeepEqual(draw(7), draw(8));
    assert.equal(new Set(draw(7)).size, 100);
    assert.equal(enasSearchSpace.sample, sampleEnasCell);
  });

  test("the space has 6^6 · 2^15 cells and cannot be enumerated", () => {
    assert.equal(ENAS_SPACE_SIZE, 1_528_823_808);
    assert.equal(enasSearchSpace.size, 6 ** 6 * 2 ** 15);
    assert.equal(enasSearchSpace.enumerate, undefined);
  });
});
