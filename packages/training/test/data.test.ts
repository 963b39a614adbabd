import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import type { ImageSplit } from "@nasvae/datasets";
import { createRandom } from "@nasvae/search-space";
import { ensureBackend, tf } from "@nasvae/tf-backend";
import { BatchBuilder, channelStatistics, disposeBatch, shuffledIndices } from "../src/data.ts";

before(async () => {
  await ensureBackend();
});

const FORMAT = { imageSize: 8, channels: 3 };

/** Image n: pixel (y, x, c) = (n * 50 + y * 8 + x + c) mod 256, label n mod 3. */
function split(count: number): ImageSplit {
  const images = new Uint8Array(count * 8 * 8 * 3);
  for (let n = 0; n < count; n++) {
    for (let p = 0; p < 64; p++) {
      for (let c = 0; c < 3; c++) images[n * 192 + p * 3 + c] = (n * 50 + p + c) % 256;
    }
  }
  return { images, labels: Uint8Array.from({ length: count }, (_, n) => n % 3), count };
}

describe("input pipeline", () => {
  test("channelStatistics: mean and std per channel on the [0, 1] scale", () => {
    const images = Uint8Array.from([0, 255, 10, 255, 255, 10]); // 2 pixels, 3 channels
    const stats = channelStatistics(
      { images, labels: Uint8Array.of(0), count: 1 },
      {
        imageSize: 1,
        channels: 3,
      },
    );
    assert.deepEqual(stats.mean, [0.5, 1, 10 / 255]);
    assert.deepEqual(stats.std, [0.5, 1, 1]); // constant channels are left unscaled
  });

  test("shuffledIndices is a seeded permutation", () => {
    const a = shuffledIndices(100, createRandom(1));
    assert.deepEqual(
      [...a].sort((x, y) => x - y),
      Array.from({ length: 100 }, (_, i) => i),
    );
    assert.deepEqual(a, shuffledIndices(100, createRandom(1)));
    assert.notDeepEqual(a, shuffledIndices(100, createRandom(2)));
  });

  test("batches are normalised images, int labels and one-hot labels, in the given order", () => {
    const data = split(5);
    const normalization = { mean: [0.1, 0.2, 0.3], std: [0.5, 0.25, 2] };
    const batch = new BatchBuilder(data, FORMAT, 3, normalization).build([4, 1, 2], 0, 2);
    try {
      assert.deepEqual(batch.images.shape, [2, 8, 8, 3]);
      assert.deepEqual(Array.from(batch.labels.dataSync()), [1, 1]);
      assert.deepEqual(Array.from(batch.oneHot.dataSync()), [0, 1, 0, 0, 1, 0]);
      const pixels = batch.images.dataSync();
      // Image 4, pixel (0, 1), channel 2: byte (200 + 1 + 2) = 203.
      assert.ok(Math.abs((pixels[1 * 3 + 2] ?? 0) - (203 / 255 - 0.3) / 2) < 1e-6);
    } finally {
      disposeBatch(batch);
    }
  });

  test("augmentation crops with zero padding and flips, reproducibly for a seed", () => {
    const data = split(16);
    const normalization = { mean: [0, 0, 0], std: [1, 1, 1] };
    const builder = new BatchBuilder(data, FORMAT, 3, normalization);
    const order = Array.from({ length: 16 }, (_, i) => i);
    const plain = builder.build(order, 0, 16);
    const a = builder.build(order, 0, 16, createRandom(7));
    const b = builder.build(order, 0, 16, createRandom(7));
    try {
      assert.deepEqual(a.images.dataSync(), b.images.dataSync());
      const original = plain.images.dataSync();
      const augmented = a.images.dataSync();
      let changed = 0;
      let padded = 0;
      for (let n = 0; n < 16; n++) {
        const image = augmented.subarray(n * 192, (n + 1) * 192);
        if (image.some((v, i) => v !== original[n * 192 + i])) changed++;
        if (image.some((v) => v === 0)) padded++;
        // Every value is a pixel of the same image (some channel-matched byte) or padding.
        const own = new Set(original.subarray(n * 192, (n + 1) * 192));
        for (const v of image) assert.ok(v === 0 || own.has(v));
      }
      assert.ok(changed >= 12, `${changed} of 16 images changed`);
      assert.ok(padded >= 8, `${padded} of 16 images show padding`);
    } finally {
      for (const batch of [plain, a, b]) disposeBatch(batch);
    }
  });

  test("builders release every tensor they make", () => {
    const before = tf.memory().numTensors;
    const builder = new BatchBuilder(split(4), FORMAT, 3, { mean: [0, 0, 0], std: [1, 1, 1] });
    for (let i = 0; i < 5; i++) disposeBatch(builder.build([0, 1, 2, 3], 0, 4, createRandom(i)));
    assert.equal(tf.memory().numTensors, before);
  });
});
