import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { assertMatchesCpu, gradientsOf, on, useWasm } from "./helpers.ts";

type Pad = "same" | "valid";
const cases: {
  label: string;
  x: number[];
  size: number | [number, number];
  stride: number | [number, number];
  pad: Pad;
}[] = [
  { label: "3x3 stride 1 same", x: [2, 6, 7, 3], size: 3, stride: 1, pad: "same" },
  { label: "5x3 window stride 1 same", x: [2, 7, 6, 5], size: [5, 3], stride: 1, pad: "same" },
  { label: "3x3 stride 2 valid", x: [3, 9, 8, 2], size: 3, stride: 2, pad: "valid" },
  { label: "2x2 stride 2 valid", x: [2, 8, 6, 4], size: 2, stride: 2, pad: "valid" },
  {
    label: "2x3 window, strides 2x1, same",
    x: [2, 7, 6, 3],
    size: [2, 3],
    stride: [2, 1],
    pad: "same",
  },
  { label: "3x3 stride 2 same, odd size", x: [2, 7, 7, 2], size: 3, stride: 2, pad: "same" },
];

/**
 * Average pooling written with ops whose gradients the cpu backend gets right: the window sums
 * (a depthwise convolution with ones) divided by the number of taps inside the input.
 */
function referenceAvgPool(
  x: tf.Tensor4D,
  size: number | [number, number],
  stride: number | [number, number],
  pad: Pad,
): tf.Tensor4D {
  const [kh, kw] = typeof size === "number" ? [size, size] : size;
  const channels = x.shape[3];
  const ones = tf.ones([kh, kw, channels, 1]) as tf.Tensor4D;
  const sums = tf.depthwiseConv2d(x, ones, stride, pad);
  const counts = tf.depthwiseConv2d(tf.onesLike(x), ones, stride, pad);
  return tf.div(sums, counts);
}

describe("patched wasm MaxPoolGrad", () => {
  for (const { label, x, size, stride, pad } of cases) {
    test(`maxPool gradient matches the cpu backend: ${label}`, async () => {
      await assertMatchesCpu(
        gradientsOf(
          (xs) => tf.maxPool(xs as tf.Tensor4D, size, stride, pad),
          [{ shape: x, seed: 10 }],
        ),
      );
    });
  }

  test("a window whose maximum is negative still passes the gradient to its maximum", async () => {
    const grad = () => [
      tf.grad((x: tf.Tensor) => tf.sum(tf.maxPool(x as tf.Tensor4D, 2, 2, "valid")))(
        tf.tensor4d([-3, -1, -4, -2, 5, -7, -6, -8], [1, 2, 4, 1]),
      ),
    ];
    await useWasm();
    const [actual] = await on("wasm", grad);
    assert.deepEqual(Array.from(actual as Float32Array), [0, 0, 0, 1, 1, 0, 0, 0]);
    await assertMatchesCpu(grad);
  });
});

describe("patched wasm AvgPoolGrad", () => {
  for (const { label, x, size, stride, pad } of cases) {
    test(`avgPool gradient matches an exact cpu reference: ${label}`, async () => {
      const input = [{ shape: x, seed: 11 }];
      const expected = await on(
        "cpu",
        gradientsOf((xs) => referenceAvgPool(xs as tf.Tensor4D, size, stride, pad), input),
      );
      await useWasm();
      const actual = await on(
        "wasm",
        gradientsOf((xs) => tf.avgPool(xs as tf.Tensor4D, size, stride, pad), input),
      );
      const e = expected[0] as Float32Array;
      const a = actual[0] as Float32Array;
      assert.equal(a.length, e.length);
      const worst = e.reduce((m, v, i) => Math.max(m, Math.abs(v - (a[i] as number))), 0);
      const scale = e.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      assert.ok(worst / scale <= 1e-5, `relative error ${worst / scale}`);
    });
  }

  test("with valid padding it also matches tfjs's own cpu avgPool gradient", async () => {
    await assertMatchesCpu(
      gradientsOf(
        (xs) => tf.avgPool(xs as tf.Tensor4D, 3, 2, "valid"),
        [{ shape: [2, 9, 7, 3], seed: 12 }],
      ),
    );
  });

  test("the forward avgPool excludes padding from the count (what the gradient assumes)", async () => {
    await assertMatchesCpu(() => {
      const x = tf.tensor(
        Array.from({ length: 2 * 5 * 6 * 2 }, (_, i) => Math.cos(i)),
        [2, 5, 6, 2],
      ) as tf.Tensor4D;
      return [tf.avgPool(x, 3, 1, "same"), referenceAvgPool(x, 3, 1, "same")];
    });
  });
});
