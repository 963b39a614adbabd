import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { useWasm } from "./helpers.ts";

test("a clone shares the buffer yet outlives its source, and both are freed", async () => {
  await useWasm();
  const before = tf.memory().numBytes;
  const source = tf.tensor2d([1.5, -2, 3, 4.25], [2, 2]);
  const copy = tf.clone(source);
  source.dispose();
  assert.deepEqual(Array.from(copy.dataSync()), [1.5, -2, 3, 4.25]);
  // A later allocation must not reuse the shared buffer while the clone is alive.
  const other = tf.fill([2, 2], 7);
  assert.deepEqual(Array.from(copy.dataSync()), [1.5, -2, 3, 4.25]);
  tf.dispose([copy, other]);
  assert.equal(tf.memory().numBytes, before);
});
