import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  createCell,
  createRandom,
  formatArchString,
  type Nb201Cell,
  restrictToDomain,
  sampleCell,
  nasBench201SearchSpace as space,
} from "../src/index.ts";

const c3 = "nor_conv_3x3";
const c1 = "nor_conv_1x1";
const ap = "avg_pool_3x3";
const no = "none";

// A small synthetic domain on NAS-Bench-201 (edges in NB201_EDGES order), distances from d0:
const d0 = createCell([c3, c3, c3, c3, c3, c3]);
const d1 = createCell([c1, c3, c3, c3, c3, c3]); // 1
const d2 = createCell([c3, c3, c3, c3, c3, c1]); // 1
const d3 = createCell([c1, c1, c3, c3, c3, c3]); // 2
const d4 = createCell([ap, ap, ap, ap, ap, ap]); // 6
const zero = createCell([no, no, no, no, no, no]); // 6
// Every edge into the output is none, so it computes the same (nothing) as `zero`.
const zeroToo = createCell([c3, c3, c3, no, no, no]);
const outside = createCell([c1, c3, c3, c3, c3, c1]); // d0 2, d1 1, d2 1, d3 2, d4 6, zero 6

const names = new Map(
  Object.entries({ d0, d1, d2, d3, d4, zero, zeroToo, outside }).map(([name, cell]) => [
    formatArchString(cell),
    name,
  ]),
);
const named = (cells: Iterable<Nb201Cell>) =>
  [...cells].map((cell) => names.get(formatArchString(cell)) ?? formatArchString(cell));

const domain = restrictToDomain(space, [d0, d1, d2, d3, d4, zero, zeroToo, d1]);

/** Reference nearest: every domain cell sorted by distance (stable, so ties in domain order). */
function bruteNearest(cells: readonly Nb201Cell[], cell: Nb201Cell, k: number): string[] {
  const key = space.canonicalString(cell);
  const own = cells.filter((c) => space.canonicalString(c) === key);
  const rest = cells
    .filter((c) => space.canonicalString(c) !== key)
    .map((c, i) => ({ c, i, d: space.distance(cell, c) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map(({ c }) => c);
  return [...own, ...rest].slice(0, Math.max(k, 0)).map(formatArchString);
}

describe("restrictToDomain on a small synthetic domain", () => {
  test("keeps one cell per isomorphism class, in the order given", () => {
    assert.equal(space.canonicalString(zero), space.canonicalString(zeroToo));
    assert.equal(domain.size, 6);
    assert.deepEqual(named(domain.enumerate()), ["d0", "d1", "d2", "d3", "d4", "zero"]);
    assert.ok(domain.contains(d3));
    assert.ok(domain.contains(zeroToo), "isomorphic to a domain cell");
    assert.ok(!domain.contains(outside));
    assert.throws(() => restrictToDomain(space, []), /needs at least one cell/);
  });

  test("nearest: the cell itself first, then by distance, ties in domain order", () => {
    assert.deepEqual(named(domain.nearest(d0, 4)), ["d0", "d1", "d2", "d3"]);
    assert.deepEqual(named(domain.nearest(outside, 3)), ["d1", "d2", "d0"]);
    assert.deepEqual(named(domain.nearest(outside, 10)), ["d1", "d2", "d0", "d3", "d4", "zero"]);
    // zeroToo's class is zero's; then d0 and d2 at 3 (and zero at 3 too, but it is the class).
    assert.deepEqual(named(domain.nearest(zeroToo, 3)), ["zero", "d0", "d2"]);
    assert.deepEqual(named(domain.nearest(d4, 1)), ["d4"]);
    assert.deepEqual(domain.nearest(d0, 0), []);
  });

  test("nearest matches a brute-force sort on random domains", () => {
    const rng = createRandom(17);
    for (let trial = 0; trial < 20; trial++) {
      const cells = Array.from({ length: 50 + rng.int(300) }, () => sampleCell(rng));
      const randomDomain = restrictToDomain(space, cells);
      const classes = [...randomDomain.enumerate()];
      for (let q = 0; q < 10; q++) {
        const query = q % 2 === 0 ? sampleCell(rng) : (cells[rng.int(cells.length)] as Nb201Cell);
        const k = rng.int(40);
        assert.deepEqual(
          randomDomain.nearest(query, k).map(formatArchString),
          bruteNearest(classes, query, k),
          `trial ${trial} query ${q} k ${k}`,
        );
      }
    }
  });

  test("neighbours: the nearest others, as many as the base space's (24) or the domain has", () => {
    assert.deepEqual(named(domain.neighbours(d0)), ["d1", "d2", "d3", "d4", "zero"]);
    assert.deepEqual(named(domain.neighbours(outside)), ["d1", "d2", "d0", "d3", "d4", "zero"]);
    const rng = createRandom(2);
    const big = restrictToDomain(
      space,
      Array.from({ length: 400 }, () => sampleCell(rng)),
    );
    const cell = [...big.enumerate()][7] as Nb201Cell;
    const neighbours = big.neighbours(cell).map(formatArchString);
    assert.equal(neighbours.length, 24);
    assert.deepEqual(neighbours, big.nearest(cell, 25).slice(1).map(formatArchString));
  });

  test("mutate: uniform over the domain cells at the smallest positive distance", () => {
    const rng = createRandom(8);
    const counts = new Map<string, number>();
    for (let k = 0; k < 2000; k++) {
      const [name] = named([domain.mutate(d0, rng)]);
      counts.set(name ?? "", (counts.get(name ?? "") ?? 0) + 1);
    }
    assert.deepEqual([...counts.keys()].sort(), ["d1", "d2"]);
    for (const n of counts.values()) assert.ok(n > 880 && n < 1120, `${n}`);
    for (let k = 0; k < 50; k++) {
      // From d3, d1 is the only cell 1 away (d0 is 2 away).
      assert.deepEqual(named([domain.mutate(d3, rng)]), ["d1"]);
      assert.ok(["d1", "d2"].includes(named([domain.mutate(outside, rng)])[0] ?? ""));
      // zeroToo is in zero's class (3 edits away): mutate leaves the class, for d0 or d2 (3).
      assert.ok(["d0", "d2"].includes(named([domain.mutate(zeroToo, rng)])[0] ?? ""));
    }
    assert.throws(
      () => restrictToDomain(space, [d0]).mutate(d0, rng),
      /has no cell other than this one/,
    );
  });

  test("sample is uniform over the domain; the rest is the base space's", () => {
    const rng = createRandom(4);
    const counts = new Map<string, number>();
    for (let k = 0; k < 6000; k++) {
      const [name] = named([domain.sample(rng)]);
      counts.set(name ?? "", (counts.get(name ?? "") ?? 0) + 1);
    }
    assert.equal(counts.size, 6);
    // Expected 1,000 each, sd ≈ 29.
    for (const [name, n] of counts) assert.ok(n > 850 && n < 1150, `${name}: ${n}`);
    assert.equal(domain.base, space);
    assert.equal(domain.id, space.id);
    assert.equal(domain.dagVocabulary, space.dagVocabulary);
    const arch = formatArchString(outside);
    assert.deepEqual(domain.parse(arch), space.parse(arch));
    assert.equal(domain.format(outside), arch);
    assert.equal(domain.canonicalHash(outside), space.canonicalHash(outside));
    assert.equal(domain.distance(d0, d4), 6);
    assert.deepEqual(domain.toDag(outside), space.toDag(outside));
    assert.deepEqual(domain.graph(outside), space.graph(outside));
    assert.deepEqual(domain.cost(outside), space.cost(outside));
    assert.deepEqual(domain.cost(outside, { channels: 8 }), space.cost(outside, { channels: 8 }));
  });
});
