import { describe, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { assertMatchesCpu, gradientsOf } from "./helpers.ts";

type Pad = "same" | "valid" | tf.backend_util.ExplicitPadding;

const cases: {
  label: string;
  x: number[];
  filter: number[];
  stride: number | [number, number];
  pad: Pad;
}[] = [
  { label: "3x3 stride 1 same", x: [2, 8, 8, 3], filter: [3, 3, 3, 4], stride: 1, pad: "same" },
  { label: "3x3 stride 2 same", x: [3, 8, 8, 4], filter: [3, 3, 4, 6], stride: 2, pad: "same" },
  {
    label: "3x3 stride 2 valid (unread rows)",
    x: [2, 8, 9, 3],
    filter: [3, 3, 3, 5],
    stride: 2,
    pad: "valid",
  },
  { label: "1x1 stride 1", x: [4, 5, 6, 8], filter: [1, 1, 8, 3], stride: 1, pad: "valid" },
  {
    label: "1x1 stride 1 same, 1500 pixels (matMul filter gradient, partial transpose block)",
    x: [3, 25, 20, 5],
    filter: [1, 1, 5, 7],
    stride: 1,
    pad: "same",
  },
  {
    label: "1x1 stride 1 with zero padding 1 (not pointwise)",
    x: [2, 5, 4, 3],
    filter: [1, 1, 3, 4],
    stride: 1,
    pad: [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  },
  { label: "1x1 stride 2 odd size", x: [2, 7, 5, 3], filter: [1, 1, 3, 4], stride: 2, pad: "same" },
  {
    label: "non-square 2x3 filter, strides 2x1, same",
    x: [2, 7, 6, 3],
    filter: [2, 3, 3, 2],
    stride: [2, 1],
    pad: "same",
  },
  { label: "5x5 stride 1 valid", x: [2, 9, 7, 2], filter: [5, 5, 2, 3], stride: 1, pad: "valid" },
  {
    label: "explicit padding",
    x: [2, 6, 7, 3],
    filter: [3, 3, 3, 4],
    stride: 2,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  {
    label: "explicit padding wider than the filter reach (falls back for dx)",
    x: [1, 5, 5, 2],
    filter: [3, 3, 2, 2],
    stride: 1,
    pad: [
      [0, 0],
      [3, 0],
      [0, 3],
      [0, 0],
    ],
  },
];

describe("patched wasm Conv2DBackpropFilter and Conv2DBackpropInput", () => {
  for (const { label, x, filter, stride, pad } of cases) {
    test(`conv2d gradients match the cpu backend: ${label}`, async () => {
      await assertMatchesCpu(
        gradientsOf(
          (xs, ws) => tf.conv2d(xs as tf.Tensor4D, ws as tf.Tensor4D, stride, pad),
          [
            { shape: x, seed: 1 },
            { shape: filter, seed: 2 },
          ],
        ),
      );
    });
  }

  test("a network-sized case: 64x32x32x16, 3x3 same, matches cpu", async () => {
    await assertMatchesCpu(
      gradientsOf(
        (xs, ws) => tf.conv2d(xs as tf.Tensor4D, ws as tf.Tensor4D, 1, "same"),
        [
          { shape: [8, 32, 32, 16], seed: 3 },
          { shape: [3, 3, 16, 16], seed: 4 },
        ],
      ),
    );
  });
});
