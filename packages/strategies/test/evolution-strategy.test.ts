import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { STRATEGY_KINDS, type StrategySpec, StrategySpecSchema } from "@nasvae/contracts";
import { loadNasBench201Table } from "@nasvae/evaluators";
import {
  createRandom,
  type Nb201Cell,
  restrictToDomain,
  nasBench201SearchSpace as space,
} from "@nasvae/search-space";
import Value from "typebox/value";
import {
  type Candidate,
  createStrategy,
  EvolutionStrategy,
  type Observation,
  RandomStrategy,
} from "../src/index.ts";

/** Number of edges on which two architectures differ. */
function edgeDistance(a: string, b: string): number {
  const x: Nb201Cell = space.parse(a);
  const y: Nb201Cell = space.parse(b);
  return x.edges.filter((op, i) => op !== y.edges[i]).length;
}

/** `n` random distinct architectures, completed with a made-up accuracy, in proposal order. */
async function completedHistory(n: number, seed: number, history: Observation[] = []) {
  const { candidates } = await new RandomStrategy(space).propose({
    count: n,
    history,
    rng: createRandom(seed),
    roundIndex: 0,
  });
  const scores = createRandom(seed + 1);
  return candidates.map(
    (c): Observation => ({
      ...c,
      status: "completed",
      validationAccuracy: 80 + 10 * scores.next(),
    }),
  );
}

function assertFreshAndDistinct(candidates: Candidate[], history: readonly Observation[]): void {
  const seen = new Set(history.map((o) => o.canonicalHash));
  for (const candidate of candidates) {
    assert.equal(space.canonicalHash(space.parse(candidate.archString)), candidate.canonicalHash);
    assert.ok(!seen.has(candidate.canonicalHash), `${candidate.archString} was proposed before`);
    seen.add(candidate.canonicalHash);
  }
}

describe("evolution strategy spec", () => {
  test("both kinds are listed and created, with evolution's defaults and options", () => {
    assert.deepEqual(STRATEGY_KINDS, ["random", "evolution", "graph-vae", "local-search", "nsga2"]);
    assert.ok(createStrategy({ kind: "random" }, space) instanceof RandomStrategy);
    const byDefault = createStrategy({ kind: "evolution" }, space);
    assert.ok(byDefault instanceof EvolutionStrategy);
    assert.equal(byDefault.kind, "evolution");
    assert.equal(byDefault.populationSize, 20);
    assert.equal(byDefault.sampleSize, 5);
    const custom = createStrategy({ kind: "evolution", populationSize: 50, sampleSize: 10 }, space);
    assert.ok(custom instanceof EvolutionStrategy);
    assert.equal(custom.populationSize, 50);
    assert.equal(custom.sampleSize, 10);
    assert.throws(() => new EvolutionStrategy(space, { populationSize: 1 }), /populationSize/);
    assert.throws(() => new EvolutionStrategy(space, { sampleSize: 2.5 }), /sampleSize/);
  });

  test("the schema accepts valid specs and explains invalid ones for the kind given", () => {
    const valid: StrategySpec[] = [
      { kind: "random" },
      { kind: "evolution" },
      { kind: "evolution", populationSize: 2, sampleSize: 1 },
      { kind: "evolution", populationSize: 1000, sampleSize: 1000 },
    ];
    for (const spec of valid)
      assert.ok(Value.Check(StrategySpecSchema, spec), JSON.stringify(spec));

    const problems = (value: unknown) =>
      [...Value.Errors(StrategySpecSchema, value)]
        .filter((e) => e.keyword !== "if") // the marker of the failing branch
        .map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
    const cases: [unknown, RegExp][] = [
      [{ kind: "evolution", populationSize: 1 }, /^\/populationSize must be >= 2/],
      [{ kind: "evolution", sampleSize: 1001 }, /^\/sampleSize must be <= 1000/],
      [{ kind: "evolution", sampleSize: 2.5 }, /^\/sampleSize must be integer/],
      [{ kind: "evolution", tournament: 3 }, /additional properties.*"tournament"/],
      [{ kind: "random", populationSize: 20 }, /additional properties.*"populationSize"/],
      [{ kind: "bayesian" }, /^\/kind .*allowed values.*"random","evolution"/],
      [{}, /required properties kind/],
      ["random", /must be object/],
    ];
    for (const [value, expected] of cases) {
      const found = problems(value);
      assert.ok(!Value.Check(StrategySpecSchema, value), JSON.stringify(value));
      assert.ok(
        found.some((p) => expected.test(p)),
        `${JSON.stringify(value)}: ${found.join("; ")}`,
      );
      // Only the branch the kind selects speaks: no "must be random" for an evolution spec.
      assert.ok(!found.some((p) => /constant/.test(p)), found.join("; "));
    }
  });
});

describe("evolution strategy", () => {
  const evolution = new EvolutionStrategy(space); // P = 20, S = 5

  test("proposes uniform random unseen cells until the population is full", async () => {
    // 15 completed, plus pending, failed and unscored ones, which are not population members.
    const done = await completedHistory(15, 1);
    const others = (await completedHistory(12, 2, done)).map((o, i): Observation => {
      if (i < 5) return { ...o, status: "pending", validationAccuracy: undefined };
      if (i < 10) return { ...o, status: "failed", validationAccuracy: undefined };
      return { ...o, validationAccuracy: undefined };
    });
    const history = [...done, ...others];
    const request = { count: 10, history, roundIndex: 3 };
    const proposal = await evolution.propose({ ...request, rng: createRandom(4) });
    const random = await new RandomStrategy(space).propose({ ...request, rng: createRandom(4) });
    assert.equal(proposal.candidates.length, 10);
    assertFreshAndDistinct(proposal.candidates, history);
    assert.deepEqual(proposal.candidates, random.candidates);
    assert.deepEqual(proposal.info, { phase: "random", population: 15, random: 10 });
  });

  test("once the population is full, every child is one mutation from a member", async () => {
    // 30 older results (the best ones) have aged out; the population is the last 20.
    const old = (await completedHistory(30, 5)).map((o) => ({ ...o, validationAccuracy: 95 }));
    const population = await completedHistory(20, 6, old);
    const history = [...old, ...population];
    for (const seed of [1, 2, 3]) {
      const { candidates, info } = await evolution.propose({
        count: 40,
        history,
        rng: createRandom(seed),
        roundIndex: 5,
      });
      assert.equal(candidates.length, 40);
      assertFreshAndDistinct(candidates, history);
      assert.deepEqual(info, { phase: "evolution", population: 20, mutated: 40, random: 0 });
      for (const child of candidates) {
        assert.ok(
          population.some((member) => edgeDistance(member.archString, child.archString) === 1),
          `${child.archString} is not a neighbour of the population`,
        );
      }
    }
  });

  test("tournaments favour the best member", async () => {
    const population = await completedHistory(20, 8);
    const best = population[7];
    assert.ok(best);
    best.archString =
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";
    best.canonicalHash = space.canonicalHash(space.parse(best.archString));
    best.validationAccuracy = 99;
    // With S = 1000 draws out of 20 the best member is (all but surely) in every tournament.
    const greedy = new EvolutionStrategy(space, { populationSize: 20, sampleSize: 1000 });
    const { candidates } = await greedy.propose({
      count: 10,
      history: population,
      rng: createRandom(1),
      roundIndex: 2,
    });
    assert.equal(candidates.length, 10);
    assertFreshAndDistinct(candidates, population);
    for (const child of candidates)
      assert.equal(edgeDistance(best.archString, child.archString), 1);
  });

  test("is deterministic for a seed", async () => {
    const history = await completedHistory(25, 9);
    const propose = async (seed: number) =>
      evolution.propose({ count: 10, history, rng: createRandom(seed), roundIndex: 2 });
    assert.deepEqual(await propose(7), await propose(7));
    assert.notDeepEqual((await propose(7)).candidates, (await propose(8)).candidates);
  });

  test("fills a round from the last unseen classes, then returns fewer when none are left", async () => {
    const classes = new Map<string, string>();
    for (const cell of space.enumerate()) {
      classes.set(space.canonicalHash(cell), space.format(cell));
    }
    const all = [...classes].map(([canonicalHash, archString]) => ({ canonicalHash, archString }));
    const history: Observation[] = all
      .slice(3)
      .map((c, i) => ({ ...c, status: "completed", validationAccuracy: i % 97 }));
    const { candidates, info } = await evolution.propose({
      count: 5,
      history,
      rng: createRandom(3),
      roundIndex: 9,
    });
    assert.deepEqual(
      candidates.map((c) => c.canonicalHash).sort(),
      all
        .slice(0, 3)
        .map((c) => c.canonicalHash)
        .sort(),
    );
    assert.equal(info?.phase, "evolution");
  });

  test("beats random search on simulated NAS-Bench-201 CIFAR-10 (budget 150, rounds of 10)", async () => {
    const table = await loadNasBench201Table();
    const budget = 150;
    const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
    const bestAt150 = async (spec: StrategySpec, seed: number) => {
      const strategy = createStrategy(spec, space);
      const history: Observation[] = [];
      for (let round = 0; history.length < budget; round++) {
        const { candidates } = await strategy.propose({
          count: Math.min(10, budget - history.length),
          history,
          rng: createRandom(seed * 7919 + round),
          roundIndex: round,
        });
        assert.ok(candidates.length > 0);
        for (const candidate of candidates) {
          const row = table.byArch.get(candidate.archString);
          assert.ok(row, candidate.archString);
          history.push({
            ...candidate,
            status: "completed",
            validationAccuracy: row.cifar10_valid_acc,
          });
        }
      }
      assert.equal(history.length, budget);
      return Math.max(...history.map((o) => o.validationAccuracy ?? 0));
    };
    const meanBest = async (spec: StrategySpec) => {
      let total = 0;
      for (const seed of seeds) total += await bestAt150(spec, seed);
      return total / seeds.length;
    };
    const random = await meanBest({ kind: "random" });
    const evolution = await meanBest({ kind: "evolution" });
    // Measured: evolution 91.547, random 91.160 (mean best validation accuracy, %, 10 seeds).
    assert.ok(
      evolution > random,
      `mean best at ${budget}: evolution ${evolution.toFixed(3)} vs random ${random.toFixed(3)}`,
    );
  });

  test("on a table-restricted space it breeds table cells and fills every round", async () => {
    const rng = createRandom(31);
    const table = restrictToDomain(
      space,
      Array.from({ length: 200 }, () => space.sample(rng)),
    );
    const inTable = new Set([...table.enumerate()].map((cell) => space.canonicalHash(cell)));
    const strategy = new EvolutionStrategy(table, { populationSize: 10, sampleSize: 3 });
    const history: Observation[] = [];
    const scores = createRandom(32);
    for (let round = 0; round < 15; round++) {
      const proposal = await strategy.propose({
        count: 10,
        history,
        rng: createRandom(200 + round),
        roundIndex: round,
      });
      assert.equal(proposal.candidates.length, 10);
      assertFreshAndDistinct(proposal.candidates, history);
      for (const candidate of proposal.candidates) {
        assert.ok(inTable.has(candidate.canonicalHash));
        history.push({
          ...candidate,
          status: "completed",
          validationAccuracy: 50 + 40 * scores.next(),
        });
      }
      if (round >= 1) assert.equal(proposal.info?.phase, "evolution");
    }
  });
});
