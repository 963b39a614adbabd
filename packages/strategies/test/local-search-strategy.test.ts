import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { StrategySpecSchema } from "@nasvae/contracts";
import {
  createRandom,
  restrictToDomain,
  nasBench201SearchSpace as space,
} from "@nasvae/search-space";
import Value from "typebox/value";
import {
  type Candidate,
  createStrategy,
  LocalSearchStrategy,
  type Observation,
  RandomStrategy,
} from "../src/index.ts";

/** `n` random distinct architectures, completed with a made-up accuracy, in proposal order. */
async function completedHistory(n: number, seed: number): Promise<Observation[]> {
  const { candidates } = await new RandomStrategy(space).propose({
    count: n,
    history: [],
    rng: createRandom(seed),
    roundIndex: 0,
  });
  const scores = createRandom(seed + 1);
  return candidates.map((c) => ({
    ...c,
    status: "completed",
    validationAccuracy: 80 + 10 * scores.next(),
  }));
}

function assertFreshAndDistinct(candidates: Candidate[], history: readonly Observation[]): void {
  const seen = new Set(history.map((o) => o.canonicalHash));
  for (const candidate of candidates) {
    assert.equal(space.canonicalHash(space.parse(candidate.archString)), candidate.canonicalHash);
    assert.ok(!seen.has(candidate.canonicalHash), `${candidate.archString} was proposed before`);
    seen.add(candidate.canonicalHash);
  }
}

/** Classes of the neighbours of `archString` (what a local-search step may propose). */
function neighbourClasses(archString: string): Set<string> {
  return new Set(space.neighbours(space.parse(archString)).map((c) => space.canonicalHash(c)));
}

function best(history: readonly Observation[]): Observation {
  const top = [...history].sort(
    (a, b) => (b.validationAccuracy ?? 0) - (a.validationAccuracy ?? 0),
  )[0];
  assert.ok(top);
  return top;
}

describe("local-search strategy", () => {
  test("is a registered kind with a settings-free schema", () => {
    assert.ok(createStrategy({ kind: "local-search" }, space) instanceof LocalSearchStrategy);
    assert.ok(Value.Check(StrategySpecSchema, { kind: "local-search" }));
    assert.ok(!Value.Check(StrategySpecSchema, { kind: "local-search", radius: 2 }));
  });

  test("round 0 is uniform random, distinct, and seeded", async () => {
    const strategy = new LocalSearchStrategy(space);
    const request = { count: 10, history: [], roundIndex: 0 };
    const a = await strategy.propose({ ...request, rng: createRandom(7) });
    const b = await strategy.propose({ ...request, rng: createRandom(7) });
    const c = await strategy.propose({ ...request, rng: createRandom(8) });
    assert.equal(a.info?.phase, "random");
    assert.equal(a.candidates.length, 10);
    assertFreshAndDistinct(a.candidates, []);
    assert.deepEqual(a.candidates, b.candidates);
    assert.notDeepEqual(a.candidates, c.candidates);
  });

  test("proposes unseen neighbours of the best cell, in an order set by the seed", async () => {
    const history = await completedHistory(20, 3);
    const strategy = new LocalSearchStrategy(space);
    const request = { count: 10, history, roundIndex: 1 };
    const a = await strategy.propose({ ...request, rng: createRandom(11) });
    const b = await strategy.propose({ ...request, rng: createRandom(11) });
    const c = await strategy.propose({ ...request, rng: createRandom(12) });
    assert.deepEqual(a.candidates, b.candidates);
    assert.notDeepEqual(
      a.candidates.map((x) => x.archString),
      c.candidates.map((x) => x.archString),
    );
    assert.equal(a.candidates.length, 10);
    assertFreshAndDistinct(a.candidates, history);
    const around = neighbourClasses(best(history).archString);
    for (const candidate of a.candidates) {
      assert.ok(around.has(candidate.canonicalHash), `${candidate.archString} is not a neighbour`);
      assert.equal(
        space.distance(space.parse(candidate.archString), space.parse(best(history).archString)),
        1,
      );
    }
    assert.deepEqual(a.info?.centres, [0]);
  });

  test("moves on to the next-best cell once the best one's neighbourhood is used up", async () => {
    const history = await completedHistory(20, 5);
    const top = best(history);
    // Evaluate every neighbour of the best cell, each worse than it, then ask again.
    const neighbours = space.neighbours(space.parse(top.archString));
    const seen = new Set(history.map((o) => o.canonicalHash));
    const walked: Observation[] = [...history];
    for (const cell of neighbours) {
      const canonicalHash = space.canonicalHash(cell);
      if (seen.has(canonicalHash)) continue;
      seen.add(canonicalHash);
      walked.push({
        archString: space.format(cell),
        canonicalHash,
        status: "completed",
        validationAccuracy: 10,
      });
    }
    const proposal = await new LocalSearchStrategy(space).propose({
      count: 5,
      history: walked,
      rng: createRandom(1),
      roundIndex: 3,
    });
    assertFreshAndDistinct(proposal.candidates, walked);
    const secondBest = [...history].sort(
      (a, b) => (b.validationAccuracy ?? 0) - (a.validationAccuracy ?? 0),
    )[1];
    assert.ok(secondBest);
    const around = neighbourClasses(secondBest.archString);
    for (const candidate of proposal.candidates) assert.ok(around.has(candidate.canonicalHash));
    assert.deepEqual(proposal.info?.centres, [1]);
  });

  test("follows a better cell as soon as it is evaluated", async () => {
    const history = await completedHistory(10, 9);
    const first = await new LocalSearchStrategy(space).propose({
      count: 10,
      history,
      rng: createRandom(2),
      roundIndex: 1,
    });
    const [improvement, ...rest] = first.candidates;
    assert.ok(improvement);
    const next: Observation[] = [
      ...history,
      { ...improvement, status: "completed", validationAccuracy: 95 },
      ...rest.map((c): Observation => ({ ...c, status: "completed", validationAccuracy: 50 })),
    ];
    const second = await new LocalSearchStrategy(space).propose({
      count: 10,
      history: next,
      rng: createRandom(3),
      roundIndex: 2,
    });
    assertFreshAndDistinct(second.candidates, next);
    const around = neighbourClasses(improvement.archString);
    assert.equal(second.candidates.filter((c) => around.has(c.canonicalHash)).length, 10);
  });

  test("fills with random unseen cells when every neighbourhood is used up, never repeating", async () => {
    // A single evaluated cell whose whole neighbourhood is evaluated too.
    const [centre] = await completedHistory(1, 13);
    assert.ok(centre);
    const history: Observation[] = [{ ...centre, validationAccuracy: 99 }];
    const seen = new Set([centre.canonicalHash]);
    for (const cell of space.neighbours(space.parse(centre.archString))) {
      const canonicalHash = space.canonicalHash(cell);
      if (seen.has(canonicalHash)) continue;
      seen.add(canonicalHash);
      history.push({ archString: space.format(cell), canonicalHash, status: "pending" });
    }
    const proposal = await new LocalSearchStrategy(space).propose({
      count: 8,
      history,
      rng: createRandom(4),
      roundIndex: 2,
    });
    assert.equal(proposal.candidates.length, 8);
    assert.equal(proposal.info?.random, 8);
    assertFreshAndDistinct(proposal.candidates, history);
  });

  test("returns what is left, then nothing, when the space is exhausted", async () => {
    // A 200-cell table keeps this quick; the whole 15,625-cell space behaves the same.
    const rng = createRandom(17);
    const table = restrictToDomain(
      space,
      Array.from({ length: 200 }, () => space.sample(rng)),
    );
    const all = [...table.enumerate()].map(
      (cell, i): Observation => ({
        archString: space.format(cell),
        canonicalHash: space.canonicalHash(cell),
        status: "completed",
        validationAccuracy: i % 97,
      }),
    );
    const strategy = new LocalSearchStrategy(table);
    const leftOut = all.slice(-3);
    const history = all.slice(0, -3);
    const last = await strategy.propose({
      count: 10,
      history,
      rng: createRandom(5),
      roundIndex: 9,
    });
    assert.deepEqual(
      new Set(last.candidates.map((c) => c.canonicalHash)),
      new Set(leftOut.map((o) => o.canonicalHash)),
    );
    const none = await strategy.propose({
      count: 10,
      history: all,
      rng: createRandom(6),
      roundIndex: 10,
    });
    assert.equal(none.candidates.length, 0);
  });

  test("on a table-restricted space it walks the nearest table cells and never leaves the table", async () => {
    const rng = createRandom(21);
    const table = restrictToDomain(
      space,
      Array.from({ length: 300 }, () => space.sample(rng)),
    );
    const inTable = new Set([...table.enumerate()].map((cell) => space.canonicalHash(cell)));
    const strategy = new LocalSearchStrategy(table);
    const history: Observation[] = [];
    for (let round = 0; round < 5; round++) {
      const proposal = await strategy.propose({
        count: 10,
        history,
        rng: createRandom(100 + round),
        roundIndex: round,
      });
      const { candidates } = proposal;
      assert.equal(candidates.length, 10);
      assertFreshAndDistinct(candidates, history);
      if (round > 0) {
        // Every candidate is one of the nearest table cells of a cell the round walked from.
        const ranked = [...history].sort(
          (a, b) => (b.validationAccuracy ?? 0) - (a.validationAccuracy ?? 0),
        );
        const centres = proposal.info?.centres as number[];
        assert.ok(centres.length > 0);
        const around = new Set(
          centres.flatMap((rank) =>
            table
              .neighbours(space.parse(ranked[rank]?.archString ?? ""))
              .map((c) => space.canonicalHash(c)),
          ),
        );
        for (const candidate of candidates) assert.ok(around.has(candidate.canonicalHash));
      }
      for (const candidate of candidates) {
        assert.ok(
          inTable.has(candidate.canonicalHash),
          `${candidate.archString} is not in the table`,
        );
        history.push({
          ...candidate,
          status: "completed",
          validationAccuracy: 50 + rng.next() * 40,
        });
      }
    }
  });
});
