import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { assertMatchesCpu, gradientsOf, on } from "./helpers.ts";

const cases: {
  label: string;
  x: number[];
  filter: number[];
  stride: number | [number, number];
  pad: "same" | "valid" | tf.backend_util.ExplicitPadding;
  dilation: number | [number, number];
}[] = [
  {
    label: "3x3 stride 1 same",
    x: [2, 7, 6, 3],
    filter: [3, 3, 3, 1],
    stride: 1,
    pad: "same",
    dilation: 1,
  },
  {
    label: "3x3 stride 2 valid, multiplier 2",
    x: [3, 9, 8, 2],
    filter: [3, 3, 2, 2],
    stride: 2,
    pad: "valid",
    dilation: 1,
  },
  {
    label: "explicit padding, stride 2",
    x: [2, 6, 7, 3],
    filter: [3, 3, 3, 1],
    stride: 2,
    pad: [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ],
    dilation: 1,
  },
];

/**
 * tfjs refuses gradients of dilated depthwise convolutions, and its cpu kernels ignore the
 * dilation, so the reference for dilated cases is an undilated convolution with the filter
 * spread out with zeros: w' = S·w, with S a 0/1 matrix, whose gradient the cpu backend gets right.
 */
function spreadFilter(w: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  const [kh, kw, c, m] = w.shape;
  const sh = (kh - 1) * dh + 1;
  const sw = (kw - 1) * dw + 1;
  const selection = new Array(sh * sw * kh * kw).fill(0);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++) selection[(i * dh * sw + j * dw) * kh * kw + i * kw + j] = 1;
  const spread = tf.matMul(
    tf.tensor2d(selection, [sh * sw, kh * kw]),
    tf.reshape(w, [kh * kw, c * m]),
  );
  return tf.reshape(spread, [sh, sw, c, m]);
}

/** dx and dW from the kernels themselves (the op's gradient refuses dilation). */
function kernelGradients(
  x: number[],
  filter: number[],
  attrs: {
    strides: number | [number, number];
    pad: string | tf.backend_util.ExplicitPadding;
    dilations: [number, number];
  },
  dyValues: (size: number) => tf.Tensor,
): () => tf.Tensor[] {
  return () => {
    const xs = tf.tensor(
      Array.from({ length: x.reduce((a, b) => a * b) }, (_, i) => Math.sin(i * 0.37)),
      x,
    );
    const ws = tf.tensor(
      Array.from({ length: filter.reduce((a, b) => a * b) }, (_, i) => Math.cos(i * 0.53)),
      filter,
    );
    const y = tf.depthwiseConv2d(
      xs as tf.Tensor4D,
      ws as tf.Tensor4D,
      attrs.strides,
      attrs.pad as "same",
      "NHWC",
      attrs.dilations,
    );
    const dy = tf.reshape(dyValues(y.size), y.shape);
    const dw = tf.engine().runKernel("DepthwiseConv2dNativeBackpropFilter", { x: xs, dy }, {
      ...attrs,
      filterShape: filter,
    } as unknown as tf.NamedAttrMap) as tf.Tensor;
    const dx = tf.engine().runKernel("DepthwiseConv2dNativeBackpropInput", { dy, filter: ws }, {
      ...attrs,
      inputShape: x,
    } as unknown as tf.NamedAttrMap) as tf.Tensor;
    return [dx, dw];
  };
}

function referenceGradients(
  x: number[],
  filter: number[],
  attrs: {
    strides: number | [number, number];
    pad: string | tf.backend_util.ExplicitPadding;
    dilations: [number, number];
  },
  dyValues: (size: number) => tf.Tensor,
): () => tf.Tensor[] {
  return () => {
    const xs = tf.tensor(
      Array.from({ length: x.reduce((a, b) => a * b) }, (_, i) => Math.sin(i * 0.37)),
      x,
    );
    const ws = tf.tensor(
      Array.from({ length: filter.reduce((a, b) => a * b) }, (_, i) => Math.cos(i * 0.53)),
      filter,
    );
    const f = (a: tf.Tensor, b: tf.Tensor) => {
      const y = tf.depthwiseConv2d(
        a as tf.Tensor4D,
        spreadFilter(b as tf.Tensor4D, attrs.dilations),
        attrs.strides,
        attrs.pad as "same",
      );
      return tf.sum(tf.mul(y, tf.reshape(dyValues(y.size), y.shape)));
    };
    return tf.grads(f)([xs, ws]);
  };
}

describe("patched wasm DepthwiseConv2dNativeBackpropFilter/Input", () => {
  for (const { label, x, filter, stride, pad, dilation } of cases) {
    test(`depthwiseConv2d gradients match the cpu backend: ${label}`, async () => {
      await assertMatchesCpu(
        gradientsOf(
          (xs, ws) =>
            tf.depthwiseConv2d(xs as tf.Tensor4D, ws as tf.Tensor4D, stride, pad, "NHWC", dilation),
          [
            { shape: x, seed: 5 },
            { shape: filter, seed: 6 },
          ],
        ),
      );
    });
  }

  const dilated: {
    label: string;
    x: number[];
    filter: number[];
    strides: number | [number, number];
    pad: "same" | "valid";
    dilations: [number, number];
  }[] = [
    {
      label: "3x3 dilation 2, same",
      x: [2, 9, 10, 3],
      filter: [3, 3, 3, 1],
      strides: 1,
      pad: "same",
      dilations: [2, 2],
    },
    {
      label: "2x3 dilation 2x1, valid, multiplier 2",
      x: [2, 8, 7, 2],
      filter: [2, 3, 2, 2],
      strides: 1,
      pad: "valid",
      dilations: [2, 1],
    },
  ];
  for (const { label, x, filter, strides, pad, dilations } of dilated) {
    test(`dilated: the kernels match a cpu reference: ${label}`, async () => {
      const dyValues = (size: number) =>
        tf.tensor1d(Array.from({ length: size }, (_, i) => Math.sin(i * 1.7 + 0.3)));
      const attrs = { strides, pad, dilations };
      const expected = await on("cpu", referenceGradients(x, filter, attrs, dyValues));
      const actual = await on("wasm", kernelGradients(x, filter, attrs, dyValues));
      expected.forEach((e, k) => {
        const a = actual[k] as Float32Array;
        const scale = e.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        const worst = e.reduce((m, v, i) => Math.max(m, Math.abs(v - (a[i] as number))), 0);
        assert.ok(worst / scale <= 1e-5, `output ${k}: relative error ${worst / scale}`);
      });
    });
  }
});
