import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  createCell,
  createRandom,
  getSearchSpace,
  mutateCell,
  NB201_EDGE_COUNT,
  NB201_OPERATIONS,
  type Nb201Cell,
  nasBench201SearchSpace,
  sampleCell,
} from "../src/index.ts";

/** Indices of the edges on which two cells differ. */
function differingEdges(a: Nb201Cell, b: Nb201Cell): number[] {
  return a.edges.flatMap((op, i) => (op === b.edges[i] ? [] : [i]));
}

describe("NAS-Bench-201 mutation", () => {
  test("changes exactly one edge, to a different op, and leaves the parent alone", () => {
    const rng = createRandom(11);
    for (let k = 0; k < 2000; k++) {
      const parent = sampleCell(rng);
      const before = [...parent.edges];
      const child = mutateCell(parent, rng);
      assert.deepEqual(parent.edges, before);
      const diff = differingEdges(parent, child);
      assert.equal(diff.length, 1, `${before} -> ${child.edges}`);
      assert.equal(child.edges.length, NB201_EDGE_COUNT);
      for (const op of child.edges) assert.ok(NB201_OPERATIONS.includes(op));
    }
  });

  test("reaches every edge and every other op, about uniformly", () => {
    const parent = createCell([
      "none",
      "skip_connect",
      "nor_conv_1x1",
      "nor_conv_3x3",
      "avg_pool_3x3",
      "nor_conv_3x3",
    ]);
    const counts = new Map<string, number>();
    const rng = createRandom(3);
    const draws = 24_000;
    for (let k = 0; k < draws; k++) {
      const child = mutateCell(parent, rng);
      const [edge] = differingEdges(parent, child);
      assert.ok(edge !== undefined);
      const key = `${edge}:${child.edges[edge]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // 6 edges x 4 other ops = 24 neighbours, each expected 1000 times (sd ~31).
    assert.equal(counts.size, NB201_EDGE_COUNT * (NB201_OPERATIONS.length - 1));
    for (const [key, n] of counts) assert.ok(n > 850 && n < 1150, `${key}: ${n}`);
    // From every op, every other op is reachable on every edge.
    for (const op of NB201_OPERATIONS) {
      const uniform = createCell(new Array(NB201_EDGE_COUNT).fill(op));
      const seen = new Set<string>();
      for (let k = 0; k < 1000; k++) {
        const child = mutateCell(uniform, rng);
        const [edge] = differingEdges(uniform, child);
        assert.ok(edge !== undefined);
        seen.add(`${edge}:${child.edges[edge]}`);
      }
      assert.equal(seen.size, 24, `from all-${op}`);
    }
  });

  test("is deterministic for a seed", () => {
    const parent = sampleCell(createRandom(1));
    const run = (seed: number) => {
      const rng = createRandom(seed);
      return Array.from({ length: 50 }, () => mutateCell(parent, rng));
    };
    assert.deepEqual(run(5), run(5));
    assert.notDeepEqual(run(5), run(6));
  });

  test("is the search space's mutate", () => {
    assert.equal(nasBench201SearchSpace.mutate, mutateCell);
    const space = getSearchSpace("nas-bench-201");
    const parent = space.parse(
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|",
    );
    const child = space.mutate(parent, createRandom(9));
    assert.equal(differingEdges(parent, child).length, 1);
    assert.equal(space.format(space.parse(space.format(child))), space.format(child));
  });
});
