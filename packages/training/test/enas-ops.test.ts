import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseEnasArchString } from "@nasvae/search-space";
import * as tf from "@tensorflow/tfjs";
// The wasm-vs-cpu comparison of the kernel package's own tests (a test-only import across
// packages): it runs a function on cpu and on the patched wasm backend and compares every output.
import {
  assertMatchesCpu,
  gradientsOf,
  on,
  useWasm,
} from "../../tfjs-wasm-kernels/test/helpers.ts";
import { EnasNetwork } from "../src/enas-network.ts";
import * as ops from "../src/ops.ts";

/*
 * Every computation the ENAS-6 network adds on top of NAS-Bench-201's (enas-network.ts), forward
 * and gradients with respect to every input, on the patched WebAssembly backend against the
 * pure-JS cpu backend: relative error ≤ 1e-5 unless said otherwise.
 */

const B = 2;
const S = 8;
const C = 4;
const x = { shape: [B, S, S, C], seed: 1 };
const gamma = { shape: [C], seed: 5 };
const beta = { shape: [C], seed: 6 };

/** max |a − e| / max |e| (as the kernel helpers measure it). */
function relativeError(actual: Float32Array | undefined, expected: Float32Array | undefined) {
  assert.ok(actual && expected && actual.length === expected.length);
  let worst = 0;
  let scale = 0;
  expected.forEach((e, i) => {
    worst = Math.max(worst, Math.abs((actual[i] as number) - e));
    scale = Math.max(scale, Math.abs(e));
  });
  return worst / scale;
}

const bn = (h: tf.Tensor4D, g: tf.Tensor, b: tf.Tensor) =>
  ops.batchNormTrain(h, g as tf.Tensor1D, b as tf.Tensor1D).output;

/** ENAS's conv op: ReLU-conv1x1-BN, ReLU-conv k×k-BN. */
function convOp(k: number) {
  return gradientsOf(
    (input, w1, g1, b1, w, g, b) => {
      const h = bn(ops.conv2d(ops.relu(input as tf.Tensor4D), w1 as tf.Tensor4D, 1, 0), g1, b1);
      return bn(ops.conv2d(ops.relu(h), w as tf.Tensor4D, 1, (k - 1) / 2), g, b);
    },
    [
      x,
      { shape: [1, 1, C, C], seed: 2 },
      { shape: [C], seed: 3 },
      { shape: [C], seed: 4 },
      { shape: [k, k, C, C], seed: 7 },
      gamma,
      beta,
    ],
  );
}

/** ENAS's separable op after its 1×1 conv: ReLU-depthwise k×k-pointwise-BN. */
function separableOp(k: number) {
  return gradientsOf(
    (input, depthwise, pointwise, g, b) => {
      const h = ops.depthwiseConv2d(ops.relu(input as tf.Tensor4D), depthwise as tf.Tensor4D, 1);
      return bn(ops.conv2d(h, pointwise as tf.Tensor4D, 1, 0), g, b);
    },
    [x, { shape: [k, k, C, 1], seed: 8 }, { shape: [1, 1, C, C], seed: 9 }, gamma, beta],
  );
}

describe("ENAS ops: wasm matches cpu, forward and gradients", () => {
  test("conv 3x3 and conv 5x5 (with ENAS's 1x1 conv in front)", async () => {
    await assertMatchesCpu(convOp(3));
    await assertMatchesCpu(convOp(5));
  });

  test("separable conv 3x3 and 5x5", async () => {
    await assertMatchesCpu(separableOp(3));
    await assertMatchesCpu(separableOp(5));
  });

  test("avg and max pool 3x3, stride 1, forward", async () => {
    await assertMatchesCpu(() => {
      const input = tf.tensor4d(
        Array.from({ length: B * S * S * C }, (_, i) => Math.sin(i * 0.731) * 1.5),
        [B, S, S, C],
      );
      return [ops.avgPool3x3(input), ops.maxPool3x3(input)];
    });
  });

  test("max pool 3x3, stride 1, gradient", async () => {
    await assertMatchesCpu(gradientsOf((input) => ops.maxPool3x3(input as tf.Tensor4D), [x]));
  });

  test("avg pool 3x3, stride 1, gradient: against an exact cpu reference", async () => {
    // tfjs's cpu AvgPoolGrad counts the padding of "same" windows (its forward does not): the
    // reference is the window sums (depthwise conv with ones) over the taps inside the image.
    const expected = await on(
      "cpu",
      gradientsOf(
        (input) => {
          const ones = tf.ones([3, 3, C, 1]) as tf.Tensor4D;
          const sums = tf.depthwiseConv2d(input as tf.Tensor4D, ones, 1, "same");
          return tf.div(
            sums,
            tf.depthwiseConv2d(tf.onesLike(input) as tf.Tensor4D, ones, 1, "same"),
          );
        },
        [x],
      ),
    );
    await useWasm();
    const actual = await on(
      "wasm",
      gradientsOf((input) => ops.avgPool3x3(input as tf.Tensor4D), [x]),
    );
    assert.ok(relativeError(actual[0], expected[0]) <= 1e-5);
  });

  test("skip join: concat(skips, output) → ReLU-conv1x1-BN", async () => {
    await assertMatchesCpu(
      gradientsOf(
        (a, b, out, w, g, bt) => {
          const joined = ops.concatChannels([a, b, out] as tf.Tensor4D[]);
          return bn(ops.conv2d(ops.relu(joined), w as tf.Tensor4D, 1, 0), g, bt);
        },
        [
          x,
          { shape: [B, S, S, C], seed: 11 },
          { shape: [B, S, S, C], seed: 12 },
          { shape: [1, 1, 3 * C, C], seed: 13 },
          gamma,
          beta,
        ],
      ),
    );
  });

  test("factorised reduction: 1x1 convs stride 2 on the even and the shifted grid, BN", async () => {
    await assertMatchesCpu(
      gradientsOf(
        (input, w1, w2, g, b) => {
          const h = input as tf.Tensor4D;
          const even = ops.conv2d(h, w1 as tf.Tensor4D, 2, 0);
          const odd = ops.conv2d(ops.shiftByOnePixel(h), w2 as tf.Tensor4D, 2, 0);
          return bn(ops.concatChannels([even, odd]), g, b);
        },
        [
          x,
          { shape: [1, 1, C, C], seed: 14 },
          { shape: [1, 1, C, C], seed: 15 },
          { shape: [2 * C], seed: 16 },
          { shape: [2 * C], seed: 17 },
        ],
      ),
    );
  });

  // Without avg pool: the cpu backend's gradient of it is wrong (above).
  for (const arch of [
    "[[0],[1,1],[2,1,1],[3,1,1,1],[5,1,1,1,1],[0,1,1,1,1,1]]",
    "[[3],[5,0],[3,0,1],[1,1,0,0],[2,0,0,1,0],[3,0,1,0,0,1]]",
  ]) {
    test(`a whole network ${arch}: logits and every parameter's gradient`, async () => {
      const cell = parseEnasArchString(arch);
      const names: string[] = [];
      const run = () => {
        // Initial weights are drawn in JS: the same seed gives the same network on each backend.
        const network = new EnasNetwork(cell, { channels: 4, classes: 3, imageSize: 8 });
        try {
          const images = tf.tensor4d(
            Array.from({ length: 4 * 8 * 8 * 3 }, (_, i) => Math.sin(i * 0.37)),
            [4, 8, 8, 3],
          );
          const parameters = network.trainableParameters();
          names.splice(0, names.length, "loss", ...parameters.map((p) => p.name));
          const variables = parameters.map((p) => p.variable);
          const { value, grads } = tf.variableGrads(
            () => tf.sum(tf.mul(network.apply(images, true), tf.range(1, 13).reshape([4, 3]))),
            variables,
          );
          return [value, ...variables.map((v) => grads[v.name] ?? tf.zerosLike(v))];
        } finally {
          network.dispose();
        }
      };
      const expected = await on("cpu", run);
      await useWasm();
      const before = tf.memory().numTensors;
      const actual = await on("wasm", run);
      assert.equal(tf.memory().numTensors, before, "tensors leaked");
      assert.equal(actual.length, expected.length);
      // A BN whose output only feeds a reduction (linear, then BN) has a beta gradient of exactly
      // 0 (BN's input gradient sums to 0 per channel): both backends return rounding noise there,
      // so an output is measured against at least 1% of the largest gradient: at most 1e-7 of it
      // absolute error on gradients that small.
      const largest = Math.max(...expected.slice(1).map((e) => Math.max(...e.map(Math.abs))));
      expected.forEach((e, i) => {
        const a = actual[i] as Float32Array;
        const worst = Math.max(...e.map((v, k) => Math.abs(v - (a[k] as number))));
        const scale = Math.max(...e.map(Math.abs));
        const error = worst / Math.max(scale, largest * 1e-2);
        assert.ok(error <= 1e-5, `${names[i]}: relative error ${error} (scale ${scale})`);
      });
    });
  }
});
