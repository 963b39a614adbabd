import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import * as tf from "@tensorflow/tfjs";
import { type BatchBuilder, disposeBatch } from "./data.ts";
import { MetricSums } from "./metric-sums.ts";
import * as ops from "./ops.ts";
import type { TrainableNetwork } from "./trainable-network.ts";

export interface Evaluation {
  /** Mean cross-entropy per sample. */
  readonly loss: number;
  /** Percent. */
  readonly accuracy: number;
}

/** Loss and accuracy of the network in inference mode over the first `count` samples of a split. */
export async function evaluate(
  network: TrainableNetwork,
  batches: BatchBuilder,
  count: number,
  batchSize: number,
): Promise<Evaluation> {
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  const sums = new MetricSums();
  try {
    for (let start = 0; start < count; start += batchSize) {
      const batch = batches.build(order, start, Math.min(start + batchSize, count));
      try {
        tf.tidy(() => {
          const logits = network.apply(batch.images, false);
          sums.add(
            ops.crossEntropy(logits, batch.oneHot),
            ops.correctCount(logits, batch.labels),
            batch.size,
          );
        });
      } finally {
        disposeBatch(batch);
      }
      await yieldToEventLoop();
    }
    const { loss, accuracy } = await sums.read();
    return { loss, accuracy };
  } finally {
    sums.dispose();
  }
}
