import { describe, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { assertMatchesCpu, gradientsOf, values } from "./helpers.ts";

describe("patched wasm UnsortedSegmentSum", () => {
  test("the gradient of gather along axis 0, with repeated indices, matches the cpu backend", async () => {
    await assertMatchesCpu(
      gradientsOf(
        (table) => tf.gather(table, tf.tensor1d([3, 0, 3, 5, 1, 3], "int32")),
        [{ shape: [7, 4], seed: 7 }],
      ),
    );
  });

  test("the gradient of gather along axis 1 of a 3-D tensor matches the cpu backend", async () => {
    await assertMatchesCpu(
      gradientsOf(
        (t) => tf.gather(t, tf.tensor1d([2, 2, 0], "int32"), 1),
        [{ shape: [2, 4, 3], seed: 8 }],
      ),
    );
  });

  test("direct calls, float and int, match the cpu backend (ids may skip segments)", async () => {
    await assertMatchesCpu(() => [
      tf.unsortedSegmentSum(
        tf.tensor(values(6 * 5, 9), [6, 5]),
        tf.tensor1d([4, 0, 4, 2, 0, 4], "int32"),
        6,
      ),
      tf.cast(
        tf.unsortedSegmentSum(
          tf.tensor1d([1, 2, 3, 4, 5], "int32"),
          tf.tensor1d([1, 1, 0, 2, 1], "int32"),
          3,
        ),
        "float32",
      ),
    ]);
  });
});
