// Pure arithmetic over the layer inventories (no TensorFlow.js here: the API reaches it through
// @nasvae/evaluators' trainMemoryProblem to refuse specs before anything is queued).
import { ENAS_LAYER_COUNT, ENAS_OPERATIONS, type EnasCell } from "../enas-macro-6/cell.ts";
import { createCell, NB201_EDGES, type Nb201Cell } from "../nas-bench-201/cell.ts";
import { enasNetworkInventory } from "./enas-inventory.ts";
import type { LayerSpec } from "./inventory.ts";
import { networkInventory } from "./inventory.ts";
import type { EnasNetworkShape, NetworkShape } from "./shapes.ts";

/*
 * How much backend memory training a network takes, at most, over every cell of its space:
 * the estimate the API compares with TRAIN_MEMORY_LIMIT_MB before it accepts a train spec.
 *
 * - parameters, their gradients and the optimiser's slots (SGD: 1 per parameter, Adam: 2), and
 *   batch-norm running statistics, 4 bytes each;
 * - activations: every conv output of one image, times ACTIVATION_COPIES (the conv output, the
 *   batch norm's normalised value and output, and the ReLU after it are all kept for the
 *   backward pass, whose gradients are as large again while it runs), times the batch size;
 * - evaluation (validation, test, latency) runs forward only at batch 256: one copy of the
 *   activations per image, times two (input and output of a layer at once); the larger of the
 *   two phases counts.
 *
 * The worst cell: every NAS-Bench-201 edge a 3x3 conv; every ENAS-6 layer a 5x5 conv or a
 * separable one (whichever needs more), with every skip set (the widest skip concatenations).
 * Pools, sums and skip concatenations are not in the inventories; the copy factor absorbs them. Measured against the
 * WebAssembly heap's high-water mark after one epoch (worst NAS-Bench-201 cell, CIFAR geometry,
 * SGD): N=1 C=8 batch 64, 207 MiB (estimate 227); N=5 C=16 batch 64, 1496 MiB (1808); N=2 C=16
 * batch 128, 1272 MiB (1181). Within about 20 %, so the default limit is half the 4 GiB heap.
 */

/** Activation tensors kept per conv output element during a training step. */
export const ACTIVATION_COPIES = 6;
/** Batch of the forward-only passes (validation, test, latency). */
const EVALUATION_BATCH = 256;
const BYTES_PER_FLOAT = 4;

/** The parts of an estimate, bytes. */
export interface TrainingMemoryEstimate {
  readonly totalBytes: number;
  readonly parameterBytes: number;
  /** Gradients and optimiser slots. */
  readonly optimizerBytes: number;
  readonly activationBytes: number;
  readonly parameters: number;
}

/** What the estimate reads from a train spec. */
export interface MemoryRecipe {
  readonly batchSize: number;
  readonly optimizer: "sgd" | "adam";
}

/** The worst NAS-Bench-201 cell for memory: every edge a 3x3 conv. */
const NB201_WORST: Nb201Cell = createCell(NB201_EDGES.map(() => "nor_conv_3x3"));

/**
 * The candidates for the worst ENAS-6 cell, every skip bit set: every layer a 5x5 conv (the most
 * parameters), or a separable 5x5 conv (an extra activation per layer, which wins at large
 * batches).
 */
const ENAS_WORST: readonly EnasCell[] = (["conv5x5", "sep_conv5x5"] as const).map((op) => ({
  ops: Array.from({ length: ENAS_LAYER_COUNT }, () => ENAS_OPERATIONS.indexOf(op)),
  skips: Array.from({ length: ENAS_LAYER_COUNT }, (_, i) => Array.from({ length: i }, () => 1)),
}));

/** The estimate for the NAS-Bench-201 network of `shape`, over its worst cell. */
export function nb201TrainingMemory(
  shape: NetworkShape,
  recipe: MemoryRecipe,
): TrainingMemoryEstimate {
  return inventoryMemory(networkInventory(NB201_WORST, shape), shape, recipe);
}

/** The estimate for the ENAS-6 network of `shape`, over its worst cell. */
export function enasTrainingMemory(
  shape: EnasNetworkShape,
  recipe: MemoryRecipe,
): TrainingMemoryEstimate {
  const [first, second] = ENAS_WORST.map((cell) =>
    inventoryMemory(enasNetworkInventory(cell, shape), shape, recipe),
  ) as [TrainingMemoryEstimate, TrainingMemoryEstimate];
  return first.totalBytes >= second.totalBytes ? first : second;
}

/** The estimate for one inventory (exported for tests). */
export function inventoryMemory(
  layers: readonly LayerSpec[],
  shape: { readonly imageSize: number; readonly inputChannels?: number },
  recipe: MemoryRecipe,
): TrainingMemoryEstimate {
  let parameters = 0;
  let runningStatistics = 0;
  let activationsPerImage = shape.imageSize * shape.imageSize * (shape.inputChannels ?? 3);
  for (const layer of layers) {
    switch (layer.kind) {
      case "conv":
        parameters += layer.inChannels * layer.outChannels * layer.kernel * layer.kernel;
        activationsPerImage += layer.outChannels * layer.outSize * layer.outSize;
        break;
      case "depthwiseConv":
        parameters += layer.channels * layer.kernel * layer.kernel;
        activationsPerImage += layer.channels * layer.outSize * layer.outSize;
        break;
      case "batchNorm":
        parameters += 2 * layer.channels;
        runningStatistics += 2 * layer.channels;
        break;
      case "dense":
        parameters += layer.inFeatures * layer.outFeatures + layer.outFeatures;
        break;
    }
  }
  const slots = recipe.optimizer === "adam" ? 2 : 1;
  const parameterBytes = BYTES_PER_FLOAT * (parameters + runningStatistics);
  const optimizerBytes = BYTES_PER_FLOAT * parameters * (1 + slots);
  const training = ACTIVATION_COPIES * recipe.batchSize;
  const evaluation = 2 * EVALUATION_BATCH;
  const activationBytes = BYTES_PER_FLOAT * activationsPerImage * Math.max(training, evaluation);
  return {
    totalBytes: parameterBytes + optimizerBytes + activationBytes,
    parameterBytes,
    optimizerBytes,
    activationBytes,
    parameters,
  };
}
