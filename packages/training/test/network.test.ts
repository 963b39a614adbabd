import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { parseArchString } from "@nasvae/search-space";
import { ensureBackend, tf } from "@nasvae/tf-backend";
import { cellLiveness } from "../src/liveness.ts";
import { Nb201Network } from "../src/network.ts";
import type { NetworkShape } from "../src/types.ts";

before(async () => {
  await ensureBackend();
});

const TINY: NetworkShape = { channels: 4, cellsPerStage: 1, classes: 5, imageSize: 8 };

const ALL_CONV = parseArchString(
  "|nor_conv_3x3~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|avg_pool_3x3~0|skip_connect~1|nor_conv_3x3~2|",
);
// Node 1 has only `none` inputs but feeds 1→2 and 1→3 (zeros in, conv-BN out is not zero).
const NONE_INTO_NODE_1 = parseArchString(
  "|none~0|+|skip_connect~0|nor_conv_3x3~1|+|none~0|nor_conv_1x1~1|nor_conv_3x3~2|",
);
// Node 2 is dead (2→3 is none); the output is fed by 0→3 and 1→3.
const DEAD_NODE_2 = parseArchString(
  "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|none~2|",
);
const ALL_NONE = parseArchString("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|");

/** The first value of a tensor (NaN when empty). */
function first(t: tf.Tensor): number {
  return t.dataSync()[0] ?? Number.NaN;
}

function images(batch: number, shape: NetworkShape, seed = 3): tf.Tensor4D {
  return tf.randomNormal([batch, shape.imageSize, shape.imageSize, 3], 0, 1, "float32", seed);
}

describe("cellLiveness", () => {
  test("marks edges that cannot reach the output dead, nodes fed only by none live", () => {
    assert.deepEqual(cellLiveness(DEAD_NODE_2).edges, [true, false, false, true, true, false]);
    assert.deepEqual(cellLiveness(DEAD_NODE_2).nodes, [true, true, false, true]);
    assert.deepEqual(cellLiveness(NONE_INTO_NODE_1).nodes, [true, true, true, true]);
    assert.deepEqual(cellLiveness(ALL_NONE).edges, [false, false, false, false, false, false]);
  });
});

describe("Nb201Network", () => {
  test("gives [batch, classes] logits for every kind of cell, in both modes", () => {
    const before = tf.memory().numTensors;
    for (const cell of [ALL_CONV, NONE_INTO_NODE_1, DEAD_NODE_2, ALL_NONE]) {
      const network = new Nb201Network(cell, { ...TINY, cellsPerStage: 2 });
      tf.tidy(() => {
        for (const training of [false, true]) {
          const logits = network.apply(images(3, TINY), training);
          assert.deepEqual(logits.shape, [3, TINY.classes]);
          assert.ok(logits.dataSync().every(Number.isFinite));
        }
      });
      network.dispose();
    }
    assert.equal(tf.memory().numTensors, before);
  });

  test("a node fed only by none is zeros, and its conv edge still reaches the output", () => {
    const onlyFromNode1 = parseArchString(
      "|none~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|none~2|",
    );
    const network = new Nb201Network(onlyFromNode1, TINY, { seed: 5 });
    try {
      tf.tidy(() => {
        // Each cell's output is BN(conv(ReLU(zeros))): the same whatever the input.
        const a = network.apply(images(2, TINY, 1), false);
        const b = network.apply(images(2, TINY, 2), false);
        assert.equal(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0], 0);
        assert.deepEqual(a.shape, [2, TINY.classes]);
        // ... but not nothing: the last cell's edge 1→3 batch norm shift moves the logits.
        const beta = network
          .trainableParameters()
          .find((p) => p.name === "stage3.cell0.edge13.bn.beta");
        assert.ok(beta, "edge 1→3 has a batch norm");
        beta.variable.assign(tf.onesLike(beta.variable));
        const c = network.apply(images(2, TINY, 1), false);
        assert.ok(first(tf.max(tf.abs(tf.sub(a, c)))) > 1e-4);
      });
    } finally {
      network.dispose();
    }
  });

  test("pruning dead edges changes neither the logits nor any gradient", () => {
    const before = tf.memory().numTensors;
    for (const cell of [DEAD_NODE_2, NONE_INTO_NODE_1]) {
      const pruned = new Nb201Network(cell, TINY, { seed: 9 });
      const full = new Nb201Network(cell, TINY, { seed: 9, pruneDeadEdges: false });
      tf.tidy(() => {
        const x = images(4, TINY);
        const lossOf = (network: Nb201Network) => {
          const variables = network.trainableParameters().map((p) => p.variable);
          const { value, grads } = tf.variableGrads(
            () => tf.sum(tf.square(network.apply(x, true))),
            variables,
          );
          // A parameter of a dead edge gets no gradient; compare it as zero.
          return { value, grads: variables.map((v) => grads[v.name] ?? tf.zerosLike(v)) };
        };
        const a = lossOf(pruned);
        const b = lossOf(full);
        assert.ok(Math.abs(first(a.value) - first(b.value)) < 1e-4);
        a.grads.forEach((g, i) => {
          const difference = first(tf.max(tf.abs(tf.sub(g, b.grads[i] as tf.Tensor))));
          assert.ok(difference < 1e-4, `gradient ${i} differs by ${difference}`);
        });
        const inference = tf.sub(pruned.apply(x, false), full.apply(x, false));
        assert.ok(first(tf.max(tf.abs(inference))) < 1e-5);
      });
      pruned.dispose();
      full.dispose();
    }
    assert.equal(tf.memory().numTensors, before);
  });

  test("training mode updates batch norm's running statistics; inference mode leaves them", () => {
    const network = new Nb201Network(ALL_CONV, TINY, { seed: 2 });
    try {
      const snapshot = () => network.variables().map((v) => Array.from(v.dataSync()));
      const initial = snapshot();
      tf.tidy(() => network.apply(images(4, TINY), false));
      assert.deepEqual(snapshot(), initial);
      tf.tidy(() => network.apply(images(4, TINY), true));
      const trainable = new Set(network.trainableParameters().map((p) => p.variable));
      const changed = network.variables().filter((v, i) => {
        return (
          !trainable.has(v) &&
          JSON.stringify(Array.from(v.dataSync())) !== JSON.stringify(initial[i])
        );
      });
      // Running mean and variance of every batch norm layer.
      const batchNorms = network.inventory.filter((layer) => layer.kind === "batchNorm").length;
      assert.equal(changed.length, 2 * batchNorms);
    } finally {
      network.dispose();
    }
  });

  test("the same seed gives the same weights; another seed different ones", () => {
    const values = (seed: number) => {
      const network = new Nb201Network(ALL_CONV, TINY, { seed });
      const data = network.trainableParameters().map((p) => Array.from(p.variable.dataSync()));
      network.dispose();
      return data;
    };
    assert.deepEqual(values(4), values(4));
    assert.notDeepEqual(values(4), values(5));
  });

  test("refuses to run after dispose", () => {
    const network = new Nb201Network(ALL_CONV, TINY);
    network.dispose();
    assert.throws(() => network.apply(tf.zeros([1, 8, 8, 3]), false), /after dispose/);
  });
});
