import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { patchWasmKernels } from "../src/index.ts";

/** Runs `f` on a backend and returns its result as plain numbers. */
async function on(backend: string, f: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  await tf.ready();
  return tf.tidy(() => f().dataSync() as Float32Array);
}

function maxRelativeError(actual: Float32Array, expected: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    worst = Math.max(worst, Math.abs((actual[i] as number) - e) / Math.max(1, Math.abs(e)));
  }
  return worst;
}

describe("patched WASM BatchMatMul", () => {
  before(async () => {
    await tf.setBackend("wasm");
    await tf.ready();
    patchWasmKernels();
  });

  const cases: [string, number[], number[], boolean, boolean][] = [
    ["2-D, A transposed", [37, 5], [37, 11], true, false],
    ["2-D, B transposed", [5, 37], [11, 37], false, true],
    ["2-D, both transposed", [37, 5], [11, 37], true, true],
    ["batched, A transposed", [4, 9, 6], [4, 9, 7], true, false],
    ["batched, B transposed", [4, 6, 9], [4, 7, 9], false, true],
    ["batched, no transpose", [4, 6, 9], [4, 9, 7], false, false],
  ];
  for (const [label, shapeA, shapeB, transposeA, transposeB] of cases) {
    test(`matches the cpu backend: ${label}`, async () => {
      const a = Array.from({ length: shapeA.reduce((x, y) => x * y) }, (_, i) => Math.sin(i + 1));
      const b = Array.from({ length: shapeB.reduce((x, y) => x * y) }, (_, i) => Math.cos(i * 0.7));
      const run = () =>
        tf.matMul(tf.tensor(a, shapeA), tf.tensor(b, shapeB), transposeA, transposeB);
      const expected = await on("cpu", run);
      const actual = await on("wasm", run);
      assert.equal(actual.length, expected.length);
      assert.ok(maxRelativeError(actual, expected) <= 1e-5);
    });
  }

  test("gradients of a dense layer match the cpu backend, and nothing leaks", async () => {
    const x = Array.from({ length: 30 * 8 }, (_, i) => Math.sin(i));
    const w = Array.from({ length: 8 * 5 }, (_, i) => Math.cos(i));
    const grads = () => {
      const g = tf.grads((xs: tf.Tensor, ws: tf.Tensor) => tf.sum(tf.square(tf.matMul(xs, ws))));
      const [dx, dw] = g([tf.tensor2d(x, [30, 8]), tf.tensor2d(w, [8, 5])]);
      return tf.concat([tf.reshape(dx as tf.Tensor, [-1]), tf.reshape(dw as tf.Tensor, [-1])]);
    };
    const expected = await on("cpu", grads);
    await tf.setBackend("wasm");
    const before = tf.memory().numTensors;
    const actual = await on("wasm", grads);
    assert.equal(tf.memory().numTensors, before);
    assert.ok(maxRelativeError(actual, expected) <= 1e-5);
  });
});
