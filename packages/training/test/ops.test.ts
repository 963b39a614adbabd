import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { ensureBackend, tf } from "@nasvae/tf-backend";
import * as ops from "../src/ops.ts";

before(async () => {
  await ensureBackend();
});

function maxRelativeError(actual: tf.Tensor, expected: tf.Tensor): number {
  return tf.tidy(() => {
    const scale = tf.maximum(tf.max(tf.abs(expected)), 1e-6);
    return (
      tf
        .max(tf.abs(tf.sub(actual, expected)))
        .div(scale)
        .dataSync()[0] ?? Number.NaN
    );
  });
}

/** Batch norm written out, differentiated by tfjs's own autodiff: the reference. */
function referenceBatchNorm(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D) {
  const mean = tf.mean(x, [0, 1, 2]);
  const variance = tf.mean(tf.square(tf.sub(x, mean)), [0, 1, 2]);
  const xHat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, ops.BATCH_NORM_EPSILON)));
  return tf.add(tf.mul(xHat, gamma), beta);
}

describe("ops", () => {
  test("batchNormTrain: output, statistics and gradients match the written-out formula", () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.randomNormal([3, 4, 5, 6], 0.5, 2, "float32", 7) as tf.Tensor4D;
      const gamma = tf.randomNormal([6], 1, 0.3, "float32", 8) as tf.Tensor1D;
      const beta = tf.randomNormal([6], 0, 0.3, "float32", 9) as tf.Tensor1D;
      // A non-uniform upstream gradient, so the test sees more than the sum of the output.
      const weights = tf.randomNormal([3, 4, 5, 6], 0, 1, "float32", 10);
      const loss = (f: typeof referenceBatchNorm) => (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.mul(f(a as tf.Tensor4D, b as tf.Tensor1D, c as tf.Tensor1D), weights));
      const fused = (a: tf.Tensor4D, b: tf.Tensor1D, c: tf.Tensor1D) =>
        ops.batchNormTrain(a, b, c).output;

      const { output, mean, variance } = ops.batchNormTrain(x, gamma, beta);
      assert.ok(maxRelativeError(output, referenceBatchNorm(x, gamma, beta)) < 1e-5);
      assert.ok(maxRelativeError(mean, tf.mean(x, [0, 1, 2])) < 1e-5);
      assert.ok(maxRelativeError(variance, tf.moments(x, [0, 1, 2]).variance) < 1e-5);

      const expected = tf.grads(loss(referenceBatchNorm))([x, gamma, beta]);
      const actual = tf.grads(loss(fused))([x, gamma, beta]);
      for (const [i, name] of ["x", "gamma", "beta"].entries()) {
        const error = maxRelativeError(actual[i] as tf.Tensor, expected[i] as tf.Tensor);
        assert.ok(error < 1e-4, `d${name}: relative error ${error}`);
      }
    });
    assert.equal(tf.memory().numTensors, before);
  });

  test("avgPool3x3 divides by the pixels inside the image (count_include_pad=False)", () => {
    tf.tidy(() => {
      const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
      const y = Array.from(ops.avgPool3x3(x).dataSync());
      // Corner: (1+2+4+5)/4; edge: (1+2+3+4+5+6)/6; centre: 45/9.
      assert.deepEqual(
        y.map((v) => Math.round(v * 1e4) / 1e4),
        [3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7],
      );
    });
  });

  test("stride-2 conv pads both sides like PyTorch (padding=1), not TF's bottom-right 'same'", () => {
    tf.tidy(() => {
      // 4x4 input 1..16, a 3x3 filter that picks the window's top-left pixel.
      const x = tf.tensor4d(
        Array.from({ length: 16 }, (_, i) => i + 1),
        [1, 4, 4, 1],
      );
      const filter = tf.tensor4d([1, 0, 0, 0, 0, 0, 0, 0, 0], [3, 3, 1, 1]);
      const y = Array.from(ops.conv2d(x, filter, 2, 1).dataSync());
      // PyTorch: windows start at rows/cols -1 and 1 → top-left pixels (-1,-1)=0, (-1,1)=0,
      // (1,-1)=0, (1,1)=6.
      assert.deepEqual(y, [0, 0, 0, 6]);
    });
  });

  test("stride-1 conv keeps the size and centres the kernel", () => {
    tf.tidy(() => {
      const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
      const centre = tf.tensor4d([0, 0, 0, 0, 1, 0, 0, 0, 0], [3, 3, 1, 1]);
      assert.deepEqual(
        Array.from(ops.conv2d(x, centre, 1, 1).dataSync()),
        [1, 2, 3, 4, 5, 6, 7, 8, 9],
      );
    });
  });
});
