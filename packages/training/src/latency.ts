import * as tf from "@tensorflow/tfjs";
import type { TrainableNetwork } from "./trainable-network.ts";

export interface LatencyOptions {
  /** Timed forward passes; the median is reported. Default 5. */
  readonly repeats?: number;
  /** Untimed passes first (kernel set-up, allocation). Default 1. */
  readonly warmups?: number;
}

/**
 * Median wall-clock milliseconds of one inference-mode forward pass on a batch of random
 * images, waiting for the logits to be read back so asynchronous backends are timed fully.
 */
export async function measureLatency(
  network: TrainableNetwork,
  batchSize: number,
  options: LatencyOptions = {},
): Promise<number> {
  const repeats = options.repeats ?? 5;
  const warmups = options.warmups ?? 1;
  const { imageSize, inputChannels = 3 } = network.shape;
  const images = tf.randomNormal(
    [batchSize, imageSize, imageSize, inputChannels],
    0,
    1,
    "float32",
    1,
  );
  try {
    const times: number[] = [];
    for (let i = 0; i < warmups + repeats; i++) {
      const start = performance.now();
      const logits = tf.tidy(() => network.apply(images as tf.Tensor4D, false));
      await logits.data();
      const elapsed = performance.now() - start;
      logits.dispose();
      if (i >= warmups) times.push(elapsed);
    }
    return median(times);
  } finally {
    images.dispose();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] ?? Number.NaN;
  return ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}
