import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { parseEnasArchString } from "@nasvae/search-space";
import { ensureBackend, tf } from "@nasvae/tf-backend";
import { EnasNetwork } from "../src/enas-network.ts";
import type { EnasNetworkShape } from "../src/types.ts";

before(async () => {
  await ensureBackend();
});

const TINY: EnasNetworkShape = { channels: 4, classes: 5, imageSize: 8 };

function images(batch: number, size: number, channels: number, seed = 3): tf.Tensor4D {
  return tf.randomNormal([batch, size, size, channels], 0, 1, "float32", seed) as tf.Tensor4D;
}

function first(t: tf.Tensor): number {
  return t.dataSync()[0] ?? Number.NaN;
}

describe("EnasNetwork", () => {
  test("logits [B, classes] for 32x32x3 and 28x28x1 inputs, and no tensor left behind", () => {
    const before = tf.memory().numTensors;
    const cell = parseEnasArchString("[[0],[1,1],[2,1,1],[3,1,1,1],[4,1,1,1,1],[5,1,1,1,1,1]]");
    for (const shape of [
      { channels: 4, classes: 10, imageSize: 32 },
      { channels: 4, classes: 10, imageSize: 28, inputChannels: 1 },
    ]) {
      const network = new EnasNetwork(cell, shape);
      try {
        tf.tidy(() => {
          const x = images(2, shape.imageSize, shape.inputChannels ?? 3);
          assert.deepEqual(network.apply(x, true).shape, [2, 10]);
          assert.deepEqual(network.apply(x, false).shape, [2, 10]);
        });
      } finally {
        network.dispose();
      }
    }
    assert.equal(tf.memory().numTensors, before);
  });

  test("skipping the reductions of unread nodes changes neither the logits nor any gradient", () => {
    const before = tf.memory().numTensors;
    // Layer 5 reads the stem (skip bit 0) through both reductions; nodes 1 and 3 are never
    // read after a reduction, so theirs are pruned.
    for (const arch of [
      "[[0],[1,0],[2,0,0],[3,0,0,0],[5,0,0,0,0],[1,1,0,0,0,0]]",
      "[[4],[0,1],[3,0,0],[5,0,0,0],[2,0,0,0,0],[0,0,0,0,0,0]]",
    ]) {
      const cell = parseEnasArchString(arch);
      const pruned = new EnasNetwork(cell, TINY, { seed: 9 });
      const full = new EnasNetwork(cell, TINY, { seed: 9, pruneUnreadNodes: false });
      try {
        tf.tidy(() => {
          const x = images(4, 8, 3);
          const lossOf = (network: EnasNetwork) => {
            const variables = network.trainableParameters().map((p) => p.variable);
            const { value, grads } = tf.variableGrads(
              () => tf.sum(tf.square(network.apply(x, true))),
              variables,
            );
            // A parameter of a pruned reduction gets no gradient; compare it as zero.
            return { value, grads: variables.map((v) => grads[v.name] ?? tf.zerosLike(v)) };
          };
          const a = lossOf(pruned);
          const b = lossOf(full);
          assert.ok(Math.abs(first(a.value) - first(b.value)) < 1e-4);
          a.grads.forEach((g, i) => {
            const difference = first(tf.max(tf.abs(tf.sub(g, b.grads[i] as tf.Tensor))));
            assert.ok(difference < 1e-4, `gradient ${i} differs by ${difference}`);
          });
        });
      } finally {
        pruned.dispose();
        full.dispose();
      }
    }
    assert.equal(tf.memory().numTensors, before);
  });

  test("a skip reaches the classifier: changing the skipped node's batch norm moves the logits", () => {
    // Layer 5's only extra input is the stem (twice reduced), joined before its 1x1 conv.
    const cell = parseEnasArchString("[[4],[4,0],[4,0,0],[4,0,0,0],[4,0,0,0,0],[4,1,0,0,0,0]]");
    const network = new EnasNetwork(cell, TINY, { seed: 2 });
    try {
      tf.tidy(() => {
        const x = images(2, 8, 3);
        const a = network.apply(x, false);
        const beta = network
          .trainableParameters()
          .find((p) => p.name === "reduction3.node0.bn.beta");
        assert.ok(beta, "the stem's second reduction has a batch norm");
        beta.variable.assign(tf.onesLike(beta.variable));
        const b = network.apply(x, false);
        assert.ok(first(tf.max(tf.abs(tf.sub(a, b)))) > 1e-4);
      });
    } finally {
      network.dispose();
    }
  });

  test("apply after dispose throws", () => {
    const network = new EnasNetwork(
      parseEnasArchString("[[0],[0,0],[0,0,0],[0,0,0,0],[0,0,0,0,0],[0,0,0,0,0,0]]"),
      TINY,
    );
    network.dispose();
    assert.throws(() => tf.tidy(() => network.apply(images(1, 8, 3), false)), /after dispose/);
  });
});
