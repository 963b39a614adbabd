import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { batchNormTrain, hasFusedBatchNormTrain } from "../src/index.ts";
import { assertMatchesCpu, useWasm, values } from "./helpers.ts";

const EPSILON = 1e-5;

/**
 * Outputs and gradients of a loss that weights the normalised output and both statistics, so
 * every path of the backward kernel is exercised. On cpu batchNormTrain is tf.moments +
 * tf.batchNorm; on the patched wasm backend it is the fused kernel pair.
 */
function outputsAndGradients(shape: number[], statisticsWeight: number) {
  return () => {
    const c = shape[shape.length - 1] as number;
    const x = tf.add(
      tf.tensor(
        values(
          shape.reduce((a, b) => a * b),
          21,
        ),
        shape,
      ),
      0.7,
    );
    const gamma = tf.tensor1d(values(c, 22));
    const beta = tf.tensor1d(values(c, 23));
    const loss = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { output, mean, variance } = batchNormTrain(
        xs,
        g as tf.Tensor1D,
        b as tf.Tensor1D,
        EPSILON,
      );
      const weights = tf.tensor(values(output.size, 24), output.shape);
      return tf.addN([
        tf.sum(tf.mul(output, weights)),
        tf.mul(tf.sum(tf.mul(mean, tf.tensor1d(values(c, 25)))), statisticsWeight),
        tf.mul(tf.sum(tf.mul(variance, tf.tensor1d(values(c, 26)))), statisticsWeight),
      ]) as tf.Scalar;
    };
    const { output, mean, variance } = batchNormTrain(x, gamma, beta, EPSILON);
    return [output, mean, variance, ...tf.grads(loss)([x, gamma, beta])];
  };
}

describe("fused training-mode batch norm", () => {
  test("is used on the patched wasm backend", async () => {
    await useWasm();
    assert.equal(hasFusedBatchNormTrain(), true);
    await tf.setBackend("cpu");
    assert.equal(hasFusedBatchNormTrain(), false);
  });

  const shapes = [
    [4, 5, 6, 3],
    [2, 3, 3, 16],
    [64, 8, 8, 4],
    // 663 pixels: one full block of the element-wise passes and a partial one.
    [3, 17, 13, 5],
    [8, 5],
  ];
  for (const shape of shapes) {
    test(`outputs and gradients match tf.moments + tf.batchNorm on cpu: [${shape}]`, async () => {
      await assertMatchesCpu(outputsAndGradients(shape, 0));
      await assertMatchesCpu(outputsAndGradients(shape, 1.5));
    });
  }
});
