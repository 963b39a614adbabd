import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { ImageDataset } from "@nasvae/datasets";
import { type EnasCell, Mulberry32, type Nb201Cell } from "@nasvae/search-space";
import { describeBackend } from "@nasvae/tf-backend";
import * as tf from "@tensorflow/tfjs";
import {
  CheckpointMismatchError,
  restoreTrainingState,
  saveTrainingState,
  type TrainingProgressState,
} from "./checkpoint.ts";
import { measuredCost } from "./cost.ts";
import {
  type Batch,
  BatchBuilder,
  channelStatistics,
  disposeBatch,
  shuffledIndices,
} from "./data.ts";
import { EnasNetwork } from "./enas-network.ts";
import { evaluate } from "./evaluate.ts";
import { measureLatency } from "./latency.ts";
import { MetricSums } from "./metric-sums.ts";
import { Nb201Network } from "./network.ts";
import * as ops from "./ops.ts";
import { createOptimizer, type ParameterOptimizer } from "./optimizer.ts";
import { learningRateAt } from "./schedule.ts";
import { streamSeed } from "./seeds.ts";
import type { TrainableNetwork, TrainableParameter } from "./trainable-network.ts";
import type {
  CheckpointHooks,
  EnasNetworkShape,
  EpochReport,
  ImageShape,
  NetworkShape,
  TrainCallbacks,
  TrainingOutcome,
  TrainingRecipe,
} from "./types.ts";
import { validateDataset, validateEnasShape, validateRecipe, validateShape } from "./validate.ts";

/** Batch size of validation, test and the larger latency figure. */
const EVALUATION_BATCH_SIZE = 256;
/** Timed repeats of the latency measurements (median reported), after one warm-up each. */
const LATENCY_REPEATS = { batch1: 5, batch256: 3 } as const;

/**
 * Trains the NAS-Bench-201 network of `cell` on `dataset` following `recipe`, and measures it
 * (see trainNetwork). Throws TrainingInputError for an invalid shape, recipe or dataset.
 */
export async function trainCell(
  cell: Nb201Cell,
  dataset: ImageDataset,
  shape: NetworkShape,
  recipe: TrainingRecipe,
  callbacks: TrainCallbacks = {},
): Promise<TrainingOutcome> {
  validateShape(shape);
  return trainNetwork(
    cell,
    (seed) => new Nb201Network(cell, shape, { seed }),
    dataset,
    shape,
    recipe,
    callbacks,
  );
}

/**
 * Trains the ENAS-6 macro child network of `cell` (enas-network.ts) on `dataset` following
 * `recipe`, and measures it (see trainNetwork). Throws TrainingInputError for an invalid shape,
 * recipe or dataset.
 */
export async function trainEnasCell(
  cell: EnasCell,
  dataset: ImageDataset,
  shape: EnasNetworkShape,
  recipe: TrainingRecipe,
  callbacks: TrainCallbacks = {},
): Promise<TrainingOutcome<EnasCell>> {
  validateEnasShape(shape);
  return trainNetwork(
    cell,
    (seed) => new EnasNetwork(cell, shape, { seed }),
    dataset,
    shape,
    recipe,
    callbacks,
  );
}

/**
 * Trains the network that `build` makes (given its initialisation seed) on `dataset` following
 * `recipe`, and measures it; `shape` is the network's input and classes, checked against the
 * dataset. After each epoch the validation split is evaluated and `onEpoch` awaited; "stop"
 * before the last epoch ends training there (stoppedEarly). Test figures, FLOPs/params (from the
 * built network) and latency come last. Every tensor is released before it returns or throws.
 * trainingTimeMs covers the epochs (training and validation, not the callbacks);
 * samplesPerSecond counts training samples over the training passes only.
 * Throws TrainingInputError for an invalid recipe or dataset.
 */
export async function trainNetwork<Cell>(
  cell: Cell,
  build: (seed: number) => TrainableNetwork,
  dataset: ImageDataset,
  shape: ImageShape,
  recipe: TrainingRecipe,
  callbacks: TrainCallbacks = {},
): Promise<TrainingOutcome<Cell>> {
  validateRecipe(recipe);
  validateDataset(dataset, shape);
  const { name: backend, threads: backendThreads } = await describeBackend();

  const format = { imageSize: shape.imageSize, channels: dataset.channels };
  const normalization = channelStatistics(dataset.train, format);
  const batches = (split: ImageDataset["train"]) =>
    new BatchBuilder(split, format, shape.classes, normalization);
  const trainBatches = batches(dataset.train);
  const validationBatches = batches(dataset.validation);

  const network = build(streamSeed(recipe.seed, "init"));
  const parameters = network.trainableParameters();
  const optimizer = createOptimizer(parameters, recipe);
  try {
    const cost = measuredCost(network);
    let shuffle = new Mulberry32(streamSeed(recipe.seed, "shuffle"));
    let augment = recipe.augment ? new Mulberry32(streamSeed(recipe.seed, "augment")) : undefined;
    const ranges = batchRanges(dataset.train.count, recipe.batchSize);
    const totalIterations = recipe.epochs * ranges.length;

    let curve: EpochReport[] = [];
    let stoppedEarly = false;
    let trainingTimeMs = 0;
    let trainingPassMs = 0;
    let samplesTrained = 0;
    const hooks = callbacks.checkpoint;
    const resumed = hooks ? await resume(hooks, network, optimizer, recipe) : undefined;
    if (resumed) {
      curve = [...resumed.curve];
      shuffle = new Mulberry32(resumed.random.shuffle);
      if (augment && resumed.random.augment !== null) {
        augment = new Mulberry32(resumed.random.augment);
      }
      ({ trainingTimeMs, trainingPassMs, samplesTrained } = resumed.totals);
      await hooks?.onResume?.(resumed.epoch, resumed.curve);
    }
    for (let epoch = (resumed?.epoch ?? 0) + 1; epoch <= recipe.epochs; epoch++) {
      const started = performance.now();
      const order = shuffledIndices(dataset.train.count, shuffle);
      const sums = new MetricSums();
      let learningRate = recipe.learningRate;
      let train: Awaited<ReturnType<MetricSums["read"]>>;
      try {
        for (const [i, [start, end]] of ranges.entries()) {
          learningRate = learningRateAt(recipe, (epoch - 1) * ranges.length + i, totalIterations);
          const batch = trainBatches.build(order, start, end, augment);
          try {
            trainStep(network, parameters, optimizer, batch, learningRate, sums);
          } finally {
            disposeBatch(batch);
          }
          // Lets a queue worker renew its job lock during long epochs.
          await yieldToEventLoop();
        }
        train = await sums.read();
      } finally {
        sums.dispose();
      }
      const trainedMs = performance.now() - started;
      const validation = await evaluate(
        network,
        validationBatches,
        dataset.validation.count,
        EVALUATION_BATCH_SIZE,
      );
      const durationMs = performance.now() - started;
      trainingTimeMs += durationMs;
      trainingPassMs += trainedMs;
      samplesTrained += train.samples;
      const report: EpochReport = {
        epoch,
        epochs: recipe.epochs,
        trainLoss: train.loss,
        trainAccuracy: train.accuracy,
        validationLoss: validation.loss,
        validationAccuracy: validation.accuracy,
        learningRate,
        durationMs,
        samplesPerSecond: (1000 * train.samples) / trainedMs,
      };
      curve.push(report);
      const decision = await callbacks.onEpoch?.(report);
      if (decision === "stop" && epoch < recipe.epochs) {
        stoppedEarly = true;
        break;
      }
      if (hooks && epoch < recipe.epochs && epoch % hooks.every === 0) {
        const state = await saveTrainingState(network, optimizer, recipe, {
          epoch,
          curve,
          random: { shuffle: shuffle.snapshot(), augment: augment?.snapshot() ?? null },
          totals: { trainingTimeMs, trainingPassMs, samplesTrained },
        });
        await hooks.save(state);
      }
    }

    const test = await evaluate(
      network,
      batches(dataset.test),
      dataset.test.count,
      EVALUATION_BATCH_SIZE,
    );
    const batch1 = await measureLatency(network, 1, { repeats: LATENCY_REPEATS.batch1 });
    const batch256 = await measureLatency(network, 256, { repeats: LATENCY_REPEATS.batch256 });
    const last = curve[curve.length - 1];
    return {
      cell,
      epochsRun: curve.length,
      stoppedEarly,
      validationAccuracy: last?.validationAccuracy ?? Number.NaN,
      validationLoss: last?.validationLoss ?? Number.NaN,
      testAccuracy: test.accuracy,
      testLoss: test.loss,
      flops: cost.flops,
      params: cost.params,
      latencyMs: { batch1, batch256 },
      trainingTimeMs,
      samplesPerSecond: (1000 * samplesTrained) / trainingPassMs,
      backend,
      ...(backendThreads === undefined ? {} : { backendThreads }),
      curve,
    };
  } finally {
    optimizer.dispose();
    network.dispose();
  }
}

/**
 * The state saved by an earlier run of the same recipe, loaded into `network` and `optimizer`;
 * undefined without a checkpoint, or (after hooks.onDiscard) when it cannot be used.
 */
async function resume(
  hooks: CheckpointHooks,
  network: TrainableNetwork,
  optimizer: ParameterOptimizer,
  recipe: TrainingRecipe,
): Promise<TrainingProgressState | undefined> {
  const bytes = await hooks.load();
  if (!bytes) return undefined;
  try {
    const state = restoreTrainingState(bytes, network, optimizer, recipe);
    if (state.epoch >= recipe.epochs)
      throw new CheckpointMismatchError("checkpoint past the last epoch");
    return state;
  } catch (error) {
    if (!(error instanceof CheckpointMismatchError)) throw error;
    await hooks.onDiscard?.(error.message);
    return undefined;
  }
}

/**
 * [start, end) of each training batch in an epoch. A last batch of a single sample is dropped:
 * batch norm cannot normalise one value per channel.
 */
export function batchRanges(count: number, batchSize: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(start + batchSize, count);
    if (end - start >= 2) ranges.push([start, end]);
  }
  return ranges;
}

/** One optimisation step; adds the batch's loss and correct count to `sums`. */
function trainStep(
  network: TrainableNetwork,
  parameters: readonly TrainableParameter[],
  optimizer: ParameterOptimizer,
  batch: Batch,
  learningRate: number,
  sums: MetricSums,
): void {
  const variables = parameters.map((p) => p.variable);
  let correct: tf.Scalar | undefined;
  try {
    tf.tidy(() => {
      const { value: loss, grads } = tf.variableGrads(() => {
        const logits = network.apply(batch.images, true);
        // Kept past the gradient function's own tidy; disposed below.
        correct = tf.keep(ops.correctCount(logits, batch.labels));
        return ops.crossEntropy(logits, batch.oneHot);
      }, variables);
      optimizer.step(
        variables.map((v) => grads[v.name]),
        learningRate,
      );
      if (correct) sums.add(loss, correct, batch.size);
    });
  } finally {
    correct?.dispose();
  }
}
