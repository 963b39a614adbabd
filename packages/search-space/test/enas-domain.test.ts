import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  createRandom,
  type EnasCell,
  enasDistance,
  formatEnasArchString,
  parseEnasArchString,
  restrictToDomain,
  sampleEnasCell,
  enasSearchSpace as space,
} from "../src/index.ts";
import { readEnas6Rows } from "./enas6-table.ts";

const rows = readEnas6Rows();
const cells = rows.map((row) => parseEnasArchString(row.arch));
const domain = restrictToDomain(space, cells);
const classes = [...domain.enumerate()];
const classArchs = classes.map(formatEnasArchString);
const inTable = new Set(rows.map((row) => row.arch));

/** Reference: every domain cell other than `cell`'s own, sorted by distance then table order. */
function othersByDistance(cell: EnasCell): { arch: string; d: number }[] {
  const own = formatEnasArchString(cell);
  return classes
    .map((c, i) => ({ arch: classArchs[i] ?? "", d: enasDistance(cell, c), i }))
    .filter(({ arch }) => arch !== own)
    .sort((a, b) => a.d - b.d || a.i - b.i);
}

describe("restrictToDomain on the ENAS-6 table", () => {
  test("has the table's 20,015 distinct architectures, in file order", () => {
    assert.equal(domain.size, 20_015);
    assert.equal(classes.length, 20_015);
    assert.equal(formatEnasArchString(classes[0] as EnasCell), rows[0]?.arch);
    assert.equal(new Set(classes.map(formatEnasArchString)).size, 20_015);
    for (const cell of cells.slice(0, 2000)) assert.ok(domain.contains(cell));
    const rng = createRandom(6);
    for (let k = 0; k < 200; k++) {
      const cell = sampleEnasCell(rng);
      assert.equal(domain.contains(cell), inTable.has(formatEnasArchString(cell)));
    }
  });

  test("nearest and neighbours match a brute-force sort, for rows and for cells outside", () => {
    const rng = createRandom(12);
    const queries = [
      ...Array.from({ length: 5 }, () => cells[rng.int(cells.length)] as EnasCell),
      ...Array.from({ length: 5 }, () => sampleEnasCell(rng)),
    ];
    for (const cell of queries) {
      const arch = formatEnasArchString(cell);
      const expected = othersByDistance(cell).map((x) => x.arch);
      const member = inTable.has(arch);
      const nearest = domain.nearest(cell, 46).map(formatEnasArchString);
      assert.deepEqual(nearest, member ? [arch, ...expected.slice(0, 45)] : expected.slice(0, 46));
      const neighbours = domain.neighbours(cell).map(formatEnasArchString);
      assert.equal(neighbours.length, 45, "as many as the base space's one-edit neighbours");
      assert.deepEqual(neighbours, expected.slice(0, 45));
    }
  });

  test("mutate: one of the table cells at the smallest positive distance, each reached", () => {
    const rng = createRandom(30);
    let checked = 0;
    for (let q = 0; q < 40 && checked < 3; q++) {
      const cell = cells[rng.int(cells.length)] as EnasCell;
      const others = othersByDistance(cell);
      const smallest = others[0]?.d ?? 0;
      const ties = others.filter((x) => x.d === smallest).map((x) => x.arch);
      if (ties.length < 2 || ties.length > 4) continue;
      checked++;
      // A scan of the table per draw: few draws, enough to reach every tie (a miss has
      // probability below 4 · (3/4)^160 ≈ 4e-20); uniformity is tested on a small domain.
      const reached = new Set<string>();
      for (let k = 0; k < 40 * ties.length; k++) {
        const child = formatEnasArchString(domain.mutate(cell, rng));
        assert.ok(ties.includes(child), child);
        reached.add(child);
      }
      assert.equal(reached.size, ties.length);
    }
    assert.equal(checked, 3, "found rows with 2-4 nearest table cells");
  });

  test("sample draws table cells only, deterministically", () => {
    const draw = (seed: number) => {
      const rng = createRandom(seed);
      return Array.from({ length: 200 }, () => formatEnasArchString(domain.sample(rng)));
    };
    const drawn = draw(3);
    assert.ok(drawn.every((arch) => inTable.has(arch)));
    assert.deepEqual(drawn, draw(3));
    assert.ok(new Set(drawn).size > 190);
    assert.equal(domain.id, "enas-macro-6");
  });
});
