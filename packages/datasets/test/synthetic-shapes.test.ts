import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import type { ImageDataset } from "../src/dataset.ts";
import {
  generateSyntheticShapes,
  loadDataset,
  SHAPE_CLASSES,
  SYNTHETIC_SHAPES,
} from "../src/index.ts";

function digest(dataset: ImageDataset): string {
  const hash = createHash("sha256");
  for (const split of [dataset.train, dataset.validation, dataset.test]) {
    hash.update(split.images).update(split.labels);
  }
  return hash.digest("hex");
}

/**
 * The bytes of the default dataset, pinned: the same on every machine and in every version, so
 * results on it stay comparable. A deliberate change to the generator updates this (and the
 * figures in docs/datasets.md).
 */
const PINNED_SHA256 = "28fb7c1de8f6c93220027e4ef61adb243effd4c690f3528d1dfae2b655d87e30";

test("synthetic-shapes: deterministic, and the bytes pinned", async () => {
  const first = await loadDataset("synthetic-shapes");
  const second = generateSyntheticShapes();
  assert.equal(digest(first), digest(second));
  assert.equal(digest(first), PINNED_SHA256);
});

test("synthetic-shapes: CIFAR-10's shape, the documented sizes, every class equally often", () => {
  const dataset = generateSyntheticShapes();
  assert.equal(dataset.name, "synthetic-shapes");
  assert.deepEqual([dataset.classes, dataset.imageSize, dataset.channels], [10, 32, 3]);
  assert.equal(SHAPE_CLASSES.length, 10);
  const sizes = [
    SYNTHETIC_SHAPES.trainSize,
    SYNTHETIC_SHAPES.validationSize,
    SYNTHETIC_SHAPES.testSize,
  ];
  assert.deepEqual(sizes, [2_000, 500, 500]);
  for (const [i, split] of [dataset.train, dataset.validation, dataset.test].entries()) {
    assert.equal(split.count, sizes[i]);
    assert.equal(split.images.length, split.count * 32 * 32 * 3);
    assert.equal(split.labels.length, split.count);
    const counts = new Array<number>(10).fill(0);
    for (const label of split.labels) counts[label] = (counts[label] as number) + 1;
    assert.deepEqual(counts, new Array(10).fill(split.count / 10));
    // Shuffled: not class 0, 1, 2, ... in order.
    assert.notDeepEqual([...split.labels.subarray(0, 10)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  }
});

test("synthetic-shapes: the splits are different images, each split its own stream", () => {
  const dataset = generateSyntheticShapes();
  const image = (images: Uint8Array, i: number) =>
    Buffer.from(images.subarray(i * 3072, (i + 1) * 3072)).toString("hex");
  const seen = new Set<string>();
  for (const split of [dataset.train, dataset.validation, dataset.test]) {
    for (let i = 0; i < split.count; i += 1) seen.add(image(split.images, i));
  }
  assert.equal(seen.size, 3_000, "every image is distinct");
  // Another training size leaves the validation and test splits as they were.
  const smaller = generateSyntheticShapes({ trainSize: 10 });
  assert.equal(smaller.train.count, 10);
  assert.deepEqual(smaller.validation.images, dataset.validation.images);
  assert.deepEqual(smaller.test.labels, dataset.test.labels);
});

test("synthetic-shapes: the images use the whole range, with no class tied to a colour", () => {
  const { train } = generateSyntheticShapes();
  const size = 32 * 32 * 3;
  const meanColour = Array.from({ length: 10 }, () => [0, 0, 0]);
  let low = 255;
  let high = 0;
  for (let i = 0; i < train.count; i += 1) {
    const label = train.labels[i] as number;
    for (let k = 0; k < size; k += 1) {
      const value = train.images[i * size + k] as number;
      low = Math.min(low, value);
      high = Math.max(high, value);
      const row = meanColour[label] as number[];
      row[k % 3] = (row[k % 3] as number) + value / ((size / 3) * (train.count / 10));
    }
  }
  assert.deepEqual([low, high], [0, 255]);
  // Colours are drawn independently of the class: every class's mean colour is close to the
  // mean over all classes (backgrounds are darkish, shapes brighter; what differs between classes
  // is how much of the image the shape covers: a bar less than a disk).
  for (let c = 0; c < 3; c += 1) {
    const overall = meanColour.reduce((sum, row) => sum + (row[c] as number), 0) / 10;
    for (const [label, row] of meanColour.entries()) {
      const value = row[c] as number;
      assert.ok(value > 75 && value < 145, `class ${label}: ${row}`);
      assert.ok(Math.abs(value - overall) < 20, `class ${label}, channel ${c}: ${row}`);
    }
  }
});
