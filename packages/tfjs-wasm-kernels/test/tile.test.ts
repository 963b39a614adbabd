import { describe, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { assertMatchesCpu, gradientsOf, values } from "./helpers.ts";

const cases: { shape: number[]; reps: number[] }[] = [
  { shape: [3], reps: [4] },
  { shape: [2, 3], reps: [1, 1] },
  { shape: [2, 3], reps: [3, 2] },
  { shape: [1, 1, 1, 5], reps: [4, 3, 2, 1] },
  { shape: [2, 1, 3, 2], reps: [2, 3, 1, 2] },
  { shape: [2, 3, 1], reps: [1, 0, 2] },
];

describe("patched wasm Tile", () => {
  for (const { shape, reps } of cases) {
    test(`matches the cpu backend: [${shape}] tiled by [${reps}], float, int and bool`, async () => {
      await assertMatchesCpu(() => {
        const size = shape.reduce((a, b) => a * b, 1);
        const x = tf.tensor(values(size, 13), shape);
        return [
          tf.tile(x, reps),
          tf.cast(tf.tile(tf.cast(tf.mul(x, 10), "int32"), reps), "float32"),
          tf.cast(tf.tile(tf.greater(x, 0), reps), "float32"),
        ];
      });
    });
  }

  test("tile's gradient matches the cpu backend", async () => {
    await assertMatchesCpu(
      gradientsOf((x) => tf.tile(x, [2, 1, 3]), [{ shape: [2, 3, 2], seed: 14 }]),
    );
  });
});
