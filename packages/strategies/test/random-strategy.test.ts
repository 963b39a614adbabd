import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRandom, nasBench201SearchSpace as space } from "@nasvae/search-space";
import { createStrategy, type Observation } from "../src/index.ts";

const strategy = createStrategy({ kind: "random" }, space);

describe("random strategy", () => {
  test("proposes the requested number of distinct classes, none already seen", async () => {
    const { candidates: first } = await strategy.propose({
      count: 50,
      history: [],
      rng: createRandom(1),
      roundIndex: 0,
    });
    assert.equal(first.length, 50);
    const history: Observation[] = first.map((c) => ({ ...c, status: "completed" }));
    const { candidates: second } = await strategy.propose({
      count: 50,
      history,
      rng: createRandom(2),
      roundIndex: 1,
    });
    const hashes = [...first, ...second].map((c) => c.canonicalHash);
    assert.equal(new Set(hashes).size, 100);
    for (const candidate of second) {
      assert.equal(space.canonicalHash(space.parse(candidate.archString)), candidate.canonicalHash);
    }
  });

  test("is deterministic for a seed", async () => {
    const { candidates: a } = await strategy.propose({
      count: 20,
      history: [],
      rng: createRandom(7),
      roundIndex: 0,
    });
    const { candidates: b } = await strategy.propose({
      count: 20,
      history: [],
      rng: createRandom(7),
      roundIndex: 0,
    });
    const { candidates: c } = await strategy.propose({
      count: 20,
      history: [],
      rng: createRandom(8),
      roundIndex: 0,
    });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  test("fills a round from the last unseen classes, then returns fewer when none are left", async () => {
    const classes = new Map<string, string>();
    for (const cell of space.enumerate()) {
      classes.set(space.canonicalHash(cell), space.format(cell));
    }
    const all = [...classes].map(([canonicalHash, archString]) => ({ canonicalHash, archString }));
    const history: Observation[] = all.slice(3).map((c) => ({ ...c, status: "completed" }));
    const { candidates: proposed } = await strategy.propose({
      count: 5,
      history,
      rng: createRandom(3),
      roundIndex: 9,
    });
    assert.deepEqual(
      proposed.map((c) => c.canonicalHash).sort(),
      all
        .slice(0, 3)
        .map((c) => c.canonicalHash)
        .sort(),
    );
  });
});
