import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  createRandom,
  ENAS_NEIGHBOUR_COUNT,
  type EnasCell,
  enasDistance,
  enasNeighbours,
  enasSearchSpace,
  formatEnasArchString,
  mutateEnasCell,
  parseEnasArchString,
  sampleEnasCell,
} from "../src/index.ts";

const FIRST_ROW = "[[1],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]";

/** Layers whose op differs plus skip bits that differ, counted independently of enasDistance. */
function differences(a: EnasCell, b: EnasCell): number {
  const opDiff = a.ops.filter((op, i) => op !== b.ops[i]).length;
  const bitDiff = a.skips.flat().filter((bit, i) => bit !== b.skips.flat()[i]).length;
  return opDiff + bitDiff;
}

describe("ENAS-6 mutation and neighbours", () => {
  test("neighbours lists 45 distinct cells one edit away, 30 op changes then 15 skip flips", () => {
    const cell = parseEnasArchString(FIRST_ROW);
    const neighbours = enasNeighbours(cell);
    assert.equal(ENAS_NEIGHBOUR_COUNT, 45);
    assert.equal(neighbours.length, 45);
    assert.equal(new Set(neighbours.map(formatEnasArchString)).size, 45);
    neighbours.forEach((n, k) => {
      assert.equal(differences(cell, n), 1, `neighbour ${k}`);
      const opChanged = n.ops.some((op, i) => op !== cell.ops[i]);
      assert.equal(opChanged, k < 30, `neighbour ${k}`);
    });
    // The fixed order: layer 0's op 1 → 0, 2, 3, 4, 5; …; the last flips layer 5's bit 4.
    assert.equal(
      formatEnasArchString(neighbours[0] as EnasCell),
      FIRST_ROW.replace("[[1]", "[[0]"),
    );
    assert.equal(
      formatEnasArchString(neighbours[1] as EnasCell),
      FIRST_ROW.replace("[[1]", "[[2]"),
    );
    assert.equal(
      formatEnasArchString(neighbours[30] as EnasCell),
      "[[1],[4,1],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]",
    );
    assert.equal(
      formatEnasArchString(neighbours[44] as EnasCell),
      "[[1],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,0]]",
    );
    assert.equal(formatEnasArchString(cell), FIRST_ROW, "the cell is left unchanged");
  });

  test("mutate returns only neighbours, reaches all 45 about uniformly, leaves the parent alone", () => {
    const parent = parseEnasArchString(FIRST_ROW);
    const neighbours = enasNeighbours(parent).map(formatEnasArchString);
    const counts = new Map<string, number>();
    const rng = createRandom(45);
    const draws = 45_000;
    for (let k = 0; k < draws; k++) {
      const child = formatEnasArchString(mutateEnasCell(parent, rng));
      assert.ok(neighbours.includes(child), child);
      counts.set(child, (counts.get(child) ?? 0) + 1);
    }
    assert.equal(formatEnasArchString(parent), FIRST_ROW);
    // Each expected 1,000 times (sd ≈ 31).
    assert.equal(counts.size, 45);
    for (const [child, n] of counts) assert.ok(n > 840 && n < 1160, `${child}: ${n}`);
  });

  test("mutate is neighbours()[one rng.int(45) draw], so deterministic given the rng", () => {
    const rng = createRandom(3);
    for (let k = 0; k < 200; k++) {
      const cell = sampleEnasCell(rng);
      const seed = 1000 + k;
      const edit = createRandom(seed).int(45);
      assert.deepEqual(mutateEnasCell(cell, createRandom(seed)), enasNeighbours(cell)[edit]);
    }
    assert.equal(enasSearchSpace.mutate, mutateEnasCell);
    assert.equal(enasSearchSpace.neighbours, enasNeighbours);
  });

  test("distance is a metric on samples and counts differing ops and skip bits", () => {
    const rng = createRandom(9);
    const cells = Array.from({ length: 60 }, () => sampleEnasCell(rng));
    for (const a of cells) {
      assert.equal(enasDistance(a, a), 0);
      for (const b of cells) {
        const ab = enasDistance(a, b);
        assert.equal(ab, differences(a, b));
        assert.equal(ab, enasDistance(b, a));
        assert.equal(ab === 0, formatEnasArchString(a) === formatEnasArchString(b));
        for (const c of cells.slice(0, 15)) {
          assert.ok(ab <= enasDistance(a, c) + enasDistance(c, b));
        }
      }
      for (const n of enasNeighbours(a)) assert.equal(enasDistance(a, n), 1);
    }
    assert.equal(enasSearchSpace.distance, enasDistance);
  });
});
