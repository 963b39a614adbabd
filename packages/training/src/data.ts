import type { ImageSplit } from "@nasvae/datasets";
import type { Random } from "@nasvae/search-space";
import * as tf from "@tensorflow/tfjs";

/*
 * The input pipeline: uint8 HWC images → normalised float32 NHWC batches, assembled in JS
 * (a 64-image batch is 200k floats: cheaper than a chain of tensor ops) and uploaded once.
 * Normalisation is torchvision's: (pixel / 255 - mean) / std per channel, with mean and std of
 * the training split. Augmentation is NB201's (RandomHorizontalFlip, RandomCrop(padding=4)):
 * the image is padded with 4 black pixels (0 before normalisation), a window of the original
 * size is cut at a uniformly random offset, and flipped with probability 1/2.
 */

/** Per-channel statistics of pixel values scaled to [0, 1]. */
export interface Normalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** Geometry of the images of a split. */
export interface ImageFormat {
  readonly imageSize: number;
  readonly channels: number;
}

/** Pixels of padding on each side before a random crop (NB201: 4). */
export const CROP_PADDING = 4;

/** Mean and (population) standard deviation per channel of a split, pixels scaled to [0, 1]. */
export function channelStatistics(split: ImageSplit, format: ImageFormat): Normalization {
  const { channels } = format;
  const sum = new Float64Array(channels);
  const sumSquares = new Float64Array(channels);
  const { images } = split;
  for (let i = 0; i < images.length; i++) {
    const value = (images[i] ?? 0) / 255;
    const c = i % channels;
    sum[c] = (sum[c] ?? 0) + value;
    sumSquares[c] = (sumSquares[c] ?? 0) + value * value;
  }
  const n = images.length / channels;
  const mean = Array.from(sum, (s) => s / n);
  const std = Array.from(sumSquares, (s, c) => {
    const m = mean[c] ?? 0;
    // A constant channel would divide by zero; leave it unscaled.
    return Math.sqrt(Math.max(s / n - m * m, 0)) || 1;
  });
  return { mean, std };
}

/** Sample indices 0..count-1 in a seeded random order (Fisher–Yates). */
export function shuffledIndices(count: number, random: Random): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = t;
  }
  return order;
}

/** One batch on the backend; dispose it (or build it inside tf.tidy). */
export interface Batch {
  /** [B, S, S, C] float32, normalised. */
  readonly images: tf.Tensor4D;
  /** [B] int32 class indices. */
  readonly labels: tf.Tensor1D;
  /** [B, classes] float32 one-hot labels. */
  readonly oneHot: tf.Tensor2D;
  readonly size: number;
}

/** Builds batches from one split, normalising with fixed statistics. */
export class BatchBuilder {
  /** normalised value of byte v in channel c at [c * 256 + v]; also pads (v = 0). */
  private readonly lookup: Float32Array;

  constructor(
    private readonly split: ImageSplit,
    private readonly format: ImageFormat,
    private readonly classes: number,
    normalization: Normalization,
  ) {
    const { channels } = format;
    this.lookup = new Float32Array(channels * 256);
    for (let c = 0; c < channels; c++) {
      const mean = normalization.mean[c] ?? 0;
      const std = normalization.std[c] ?? 1;
      for (let v = 0; v < 256; v++) this.lookup[c * 256 + v] = (v / 255 - mean) / std;
    }
  }

  /**
   * The samples `indices[start, end)` as tensors. With `augment`, each image gets a random
   * crop offset and flip drawn from it (3 draws per image, in index order).
   */
  build(indices: ArrayLike<number>, start: number, end: number, augment?: Random): Batch {
    const { imageSize: s, channels } = this.format;
    const size = end - start;
    const pixels = s * s * channels;
    const images = new Float32Array(size * pixels);
    const labels = new Int32Array(size);
    const oneHot = new Float32Array(size * this.classes);
    const source = this.split.images;
    for (let b = 0; b < size; b++) {
      const index = indices[start + b] ?? 0;
      const label = this.split.labels[index] ?? 0;
      labels[b] = label;
      oneHot[b * this.classes + label] = 1;
      const from = index * pixels;
      const to = b * pixels;
      if (!augment) {
        for (let i = 0; i < pixels; i++) {
          images[to + i] = this.lookup[(i % channels) * 256 + (source[from + i] ?? 0)] ?? 0;
        }
        continue;
      }
      const dy = augment.int(2 * CROP_PADDING + 1) - CROP_PADDING;
      const dx = augment.int(2 * CROP_PADDING + 1) - CROP_PADDING;
      const flip = augment.next() < 0.5;
      for (let y = 0; y < s; y++) {
        const sy = y + dy;
        for (let x = 0; x < s; x++) {
          const sx = (flip ? s - 1 - x : x) + dx;
          const inside = sy >= 0 && sy < s && sx >= 0 && sx < s;
          const out = to + (y * s + x) * channels;
          const src = from + (sy * s + sx) * channels;
          for (let c = 0; c < channels; c++) {
            const byte = inside ? (source[src + c] ?? 0) : 0;
            images[out + c] = this.lookup[c * 256 + byte] ?? 0;
          }
        }
      }
    }
    return {
      images: tf.tensor4d(images, [size, s, s, channels]),
      labels: tf.tensor1d(labels, "int32"),
      oneHot: tf.tensor2d(oneHot, [size, this.classes]),
      size,
    };
  }
}

/** Disposes a batch's tensors. */
export function disposeBatch(batch: Batch): void {
  tf.dispose([batch.images, batch.labels, batch.oneHot]);
}
