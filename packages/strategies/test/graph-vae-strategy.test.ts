import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { GRAPH_VAE_DEFAULTS, GraphVaeSpecSchema } from "@nasvae/contracts";
import { loadNasBench201Table } from "@nasvae/evaluators";
import { decodeSnapshot, GraphVaeSession, tf } from "@nasvae/graph-vae";
import {
  createRandom,
  enasSearchSpace,
  restrictToDomain,
  nasBench201SearchSpace as space,
} from "@nasvae/search-space";
import Value from "typebox/value";
import {
  type AnySearchSpace,
  createStrategy,
  type Observation,
  RandomStrategy,
  spaceGraphs,
} from "../src/index.ts";

const settings = { pretrainSteps: 100, finetuneSteps: 10 };

describe("graph-vae strategy", () => {
  test("round 0 is random; later rounds train, predict, save state, and warm-start from it", async () => {
    const table = await loadNasBench201Table();
    const strategy = createStrategy({ kind: "graph-vae", ...settings }, space);
    const history: Observation[] = [];
    const observe = (archString: string, canonicalHash: string) => {
      const row = table.byArch.get(archString);
      assert.ok(row);
      history.push({
        archString,
        canonicalHash,
        status: "completed",
        validationAccuracy: row.cifar10_valid_acc,
        flops: row.flops_m * 1e6,
      });
    };

    const first = await strategy.propose({
      count: 10,
      history,
      rng: createRandom(1),
      roundIndex: 0,
    });
    assert.equal(first.candidates.length, 10);
    assert.equal(first.state, undefined);
    for (const c of first.candidates) observe(c.archString, c.canonicalHash);

    const second = await strategy.propose({
      count: 10,
      history,
      rng: createRandom(2),
      roundIndex: 1,
    });
    assert.equal(second.candidates.length, 10);
    assert.ok(second.state);
    assert.equal(second.info?.phase, "model");
    const seen = new Set(history.map((o) => o.canonicalHash));
    for (const c of second.candidates) {
      assert.ok(!seen.has(c.canonicalHash), "proposed an architecture already evaluated");
      assert.equal(space.canonicalHash(space.parse(c.archString)), c.canonicalHash);
      assert.ok(Number.isFinite(c.prediction?.accuracy) && Number.isFinite(c.prediction?.flops));
    }
    assert.equal(new Set(second.candidates.map((c) => c.canonicalHash)).size, 10);
    assert.equal(
      decodeSnapshot(second.state).header.steps,
      settings.pretrainSteps + settings.finetuneSteps,
    );
    for (const c of second.candidates) observe(c.archString, c.canonicalHash);

    const tensors = tf.memory().numTensors;
    const third = await strategy.propose({
      count: 10,
      history,
      rng: createRandom(3),
      roundIndex: 2,
      state: second.state,
    });
    assert.ok(third.state);
    assert.equal(
      decodeSnapshot(third.state).header.steps,
      settings.pretrainSteps + 2 * settings.finetuneSteps,
    );
    assert.equal(tf.memory().numTensors, tensors, "a round leaked tensors");
  });

  test("the defaults follow the official code's latent size", () => {
    assert.equal(GRAPH_VAE_DEFAULTS.latentSize, 56);
  });

  test("the ablation settings validate: selection random, no gradient steps", () => {
    const ablation = { kind: "graph-vae", selection: "random", latentSteps: 0, perturbedSteps: 0 };
    assert.ok(Value.Check(GraphVaeSpecSchema, ablation));
    assert.ok(!Value.Check(GraphVaeSpecSchema, { kind: "graph-vae", selection: "best" }));
    assert.equal(GRAPH_VAE_DEFAULTS.selection, "predictor");
  });
});

describe("graph-vae strategy's pool", () => {
  const small = { pretrainSteps: 30, finetuneSteps: 5, latentSize: 16, poolFactor: 2 };

  test("neighbourCentres adds the best cell's unseen neighbours for the predictor to rank", async () => {
    const history = await completedHistory(space, 10, 21);
    const best = [...history].sort(
      (a, b) => (b.validationAccuracy as number) - (a.validationAccuracy as number),
    )[0] as Observation;
    const neighbourHashes = new Set(
      space.neighbours(space.parse(best.archString)).map((cell) => space.canonicalHash(cell)),
    );
    const strategy = createStrategy({ kind: "graph-vae", ...small, neighbourCentres: 1 }, space);
    const proposal = await strategy.propose({
      count: 10,
      history,
      rng: createRandom(22),
      roundIndex: 1,
    });
    const info = proposal.info ?? {};
    assert.ok((info.poolFromNeighbours as number) > 0, JSON.stringify(info));
    assert.ok((info.poolFromNeighbours as number) <= neighbourHashes.size);
    const seen = new Set(history.map((o) => o.canonicalHash));
    const fromNeighbours = proposal.candidates.filter((c) => neighbourHashes.has(c.canonicalHash));
    assert.ok(fromNeighbours.length >= (info.chosenFromNeighbours as number));
    for (const c of proposal.candidates) {
      assertValidCell(space, c.archString, c.canonicalHash);
      assert.ok(!seen.has(c.canonicalHash));
    }
    assert.equal(new Set(proposal.candidates.map((c) => c.canonicalHash)).size, 10);

    const without = await createStrategy(
      { kind: "graph-vae", ...small, neighbourCentres: 0 },
      space,
    ).propose({
      count: 10,
      history,
      rng: createRandom(22),
      roundIndex: 1,
    });
    assert.equal(without.info?.poolFromNeighbours, 0);
  });

  test("the GP acquisitions choose distinct unseen cells of the pool and say so", async () => {
    const history = await completedHistory(space, 12, 31);
    const seen = new Set(history.map((o) => o.canonicalHash));
    for (const acquisition of ["gp-ei", "residual-gp-ei"] as const) {
      const proposal = await createStrategy(
        { kind: "graph-vae", ...small, poolFactor: 4, acquisition },
        space,
      ).propose({ count: 8, history, rng: createRandom(32), roundIndex: 1 });
      const info = proposal.info ?? {};
      assert.equal(info.acquisition, acquisition);
      assert.equal(info.random, 0, JSON.stringify(info));
      assert.equal(proposal.candidates.length, 8);
      assert.equal(new Set(proposal.candidates.map((c) => c.canonicalHash)).size, 8);
      for (const c of proposal.candidates) {
        assertValidCell(space, c.archString, c.canonicalHash);
        assert.ok(!seen.has(c.canonicalHash), `${acquisition} proposed a seen cell`);
        assert.ok(Number.isFinite(c.prediction?.accuracy), JSON.stringify(c));
      }
    }
  });

  test("the Pareto objective proposes valid unseen cells and says so in the round info", async () => {
    const table = await loadNasBench201Table();
    const { candidates } = await new RandomStrategy(space).propose({
      count: 20,
      history: [],
      rng: createRandom(31),
      roundIndex: 0,
    });
    const history = candidates.map((c): Observation => {
      const row = table.byArch.get(c.archString);
      assert.ok(row);
      return {
        ...c,
        status: "completed",
        validationAccuracy: row.cifar10_valid_acc,
        flops: row.flops_m * 1e6,
      };
    });
    const pareto = await createStrategy(
      { kind: "graph-vae", ...small, objective: "pareto" },
      space,
    ).propose({ count: 10, history, rng: createRandom(32), roundIndex: 1 });
    assert.equal(pareto.info?.objective, "pareto");
    const seen = new Set(history.map((o) => o.canonicalHash));
    for (const c of pareto.candidates) {
      assertValidCell(space, c.archString, c.canonicalHash);
      assert.ok(!seen.has(c.canonicalHash));
      assert.ok(c.prediction?.accuracy !== undefined, "each candidate keeps its prediction");
    }
    assert.equal(new Set(pareto.candidates.map((c) => c.canonicalHash)).size, 10);
  });
});

/** `n` random distinct cells of `searchSpace`, completed with a made-up accuracy and FLOPs. */
async function completedHistory(searchSpace: AnySearchSpace, n: number, seed: number) {
  const { candidates } = await new RandomStrategy(searchSpace).propose({
    count: n,
    history: [],
    rng: createRandom(seed),
    roundIndex: 0,
  });
  const scores = createRandom(seed + 1);
  return candidates.map(
    (c): Observation => ({
      ...c,
      status: "completed",
      validationAccuracy: 70 + 5 * scores.next(),
      flops: 1e8 * (1 + scores.next()),
    }),
  );
}

/** Fails unless the candidate is a valid, correctly hashed cell of the space. */
function assertValidCell(searchSpace: AnySearchSpace, archString: string, canonicalHash: string) {
  const cell = searchSpace.parse(archString);
  assert.equal(searchSpace.canonicalHash(cell), canonicalHash);
  // The DAG round trip is what the decoder had to pass: fromDag throws on invalid graphs.
  assert.equal(searchSpace.format(searchSpace.fromDag(searchSpace.toDag(cell))), archString);
}

describe("graph-vae strategy on ENAS-6 (decoded edges decide the cell)", () => {
  const small = { pretrainSteps: 30, finetuneSteps: 5, latentSize: 16, poolFactor: 3 };

  test("a decoder that never draws the chain edges decodes only invalid cells, and none is proposed", async () => {
    const { graphSpace, unlabelled } = await spaceGraphs(enasSearchSpace);
    assert.equal(graphSpace.fixedAdjacency, undefined, "ENAS-6 cells do not share one topology");
    assert.equal(graphSpace.variableSize, false);
    const session = GraphVaeSession.create(graphSpace, unlabelled.slice(0, 100), {
      latentSize: 16,
    });
    let state: Uint8Array;
    try {
      // Every edge logit -20: no edge at all, so no i -> i+1 chain, which fromDag rejects.
      for (const { key, variable } of session.model.namedVariables()) {
        if (key === "decEdges/w") variable.assign(tf.zerosLike(variable));
        if (key === "decEdges/b") variable.assign(tf.fill(variable.shape, -20));
      }
      state = session.save();
    } finally {
      session.dispose();
    }
    const history = await completedHistory(enasSearchSpace, 10, 5);
    // Decoded cells only: the best cell's neighbours would otherwise fill the pool.
    const strategy = createStrategy(
      { kind: "graph-vae", ...small, neighbourCentres: 0 },
      enasSearchSpace,
    );
    const proposal = await strategy.propose({
      count: 5,
      history,
      rng: createRandom(6),
      roundIndex: 1,
      state,
    });
    const info = proposal.info ?? {};
    assert.ok((info.decodes as number) > 0);
    assert.equal(info.invalidDecodes, info.decodes, "every decode lacks the chain: invalid");
    assert.equal(info.pool, 0, "no invalid decode enters the pool");
    assert.equal(info.random, 5, "the round is filled at random instead");
    const seen = new Set(history.map((o) => o.canonicalHash));
    for (const c of proposal.candidates) {
      assertValidCell(enasSearchSpace, c.archString, c.canonicalHash);
      assert.ok(!seen.has(c.canonicalHash));
    }
    assert.equal(new Set(proposal.candidates.map((c) => c.canonicalHash)).size, 5);
  });

  test("on the full space it proposes valid decoded cells, unseen and distinct, without leaking tensors", async () => {
    const history = await completedHistory(enasSearchSpace, 10, 7);
    const strategy = createStrategy({ kind: "graph-vae", ...small }, enasSearchSpace);
    const first = await strategy.propose({
      count: 5,
      history,
      rng: createRandom(8),
      roundIndex: 1,
    });
    assert.ok(first.state);
    const header = decodeSnapshot(first.state).header;
    assert.equal(header.config.reconstruction, "sum", "ENAS pretraining sums reconstruction");
    assert.equal(header.steps, small.pretrainSteps + small.finetuneSteps);
    const tensors = tf.memory().numTensors;
    const second = await strategy.propose({
      count: 5,
      history,
      rng: createRandom(9),
      roundIndex: 2,
      state: first.state,
    });
    assert.equal(tf.memory().numTensors, tensors, "a round leaked tensors");
    const info = second.info ?? {};
    assert.equal(info.phase, "model");
    assert.ok((info.decodes as number) > 0);
    assert.ok((info.pool as number) > 0, `no valid decoded cell: ${JSON.stringify(info)}`);
    assert.equal(info.snapped, 0, "the full space takes decoded cells as they are");
    const seen = new Set(history.map((o) => o.canonicalHash));
    for (const c of second.candidates) {
      assertValidCell(enasSearchSpace, c.archString, c.canonicalHash);
      assert.ok(!seen.has(c.canonicalHash));
    }
    assert.equal(new Set(second.candidates.map((c) => c.canonicalHash)).size, 5);
  });

  test("random selection and no gradient steps still propose from the decoded pool", async () => {
    const history = await completedHistory(enasSearchSpace, 10, 11);
    const strategy = createStrategy(
      { kind: "graph-vae", ...small, selection: "random", latentSteps: 0, perturbedSteps: 0 },
      enasSearchSpace,
    );
    const proposal = await strategy.propose({
      count: 5,
      history,
      rng: createRandom(12),
      roundIndex: 1,
    });
    const info = proposal.info ?? {};
    assert.equal(info.selection, "random");
    assert.equal(info.poolFromSteps, 0, "no gradient step was taken");
    assert.equal(proposal.candidates.length, 5);
    for (const c of proposal.candidates) {
      assertValidCell(enasSearchSpace, c.archString, c.canonicalHash);
    }
  });

  test("on a domain (a table's cells) it proposes only domain cells, unseen and distinct, snapping decodes", async () => {
    // 300 uniform cells stand in for a table: decoded cells are almost never among them.
    const rng = createRandom(13);
    const domain = restrictToDomain(
      enasSearchSpace,
      Array.from({ length: 300 }, () => enasSearchSpace.sample(rng)),
    );
    const history = await completedHistory(domain, 10, 14);
    const strategy = createStrategy({ kind: "graph-vae", ...small }, domain);
    const proposal = await strategy.propose({
      count: 5,
      history,
      rng: createRandom(15),
      roundIndex: 1,
    });
    const info = proposal.info ?? {};
    assert.equal(info.phase, "model");
    assert.ok((info.pool as number) > 0, JSON.stringify(info));
    assert.ok((info.snapped as number) > 0, "decoded cells outside the table were snapped");
    assert.ok((info.snapDistanceMax as number) > 0);
    const seen = new Set(history.map((o) => o.canonicalHash));
    for (const c of proposal.candidates) {
      assertValidCell(enasSearchSpace, c.archString, c.canonicalHash);
      assert.ok(domain.contains(domain.parse(c.archString)), `${c.archString} is not in the table`);
      assert.ok(!seen.has(c.canonicalHash));
    }
    assert.equal(new Set(proposal.candidates.map((c) => c.canonicalHash)).size, 5);
    const { unlabelled } = await spaceGraphs(domain);
    assert.equal(unlabelled.length, 300, "a domain pretrains on its own cells");
  });
});
