import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadNasBench201Table } from "@nasvae/evaluators";
import { decodeSnapshot, tf } from "@nasvae/graph-vae";
import { createRandom, nasBench201SearchSpace as space } from "@nasvae/search-space";
import { createStrategy, GRAPH_VAE_DEFAULTS, type Observation } from "../src/index.ts";

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
});
