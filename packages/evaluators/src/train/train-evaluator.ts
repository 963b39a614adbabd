import type { ImageDataset } from "@nasvae/datasets";
import { parseArchString } from "@nasvae/search-space";
import type { EpochReport, NetworkShape, TrainingOutcome, TrainingRecipe } from "@nasvae/training";
import type {
  EpochProgress,
  EvaluationContext,
  EvaluationResult,
  Evaluator,
} from "../evaluator.ts";
import { evaluatorFingerprint } from "../fingerprint.ts";
import type { EvaluatorOptions } from "../options.ts";
import { loadDatasetOnce } from "./dataset-cache.ts";
import type { TrainEvaluatorSpec } from "./train-spec.ts";

/** What a train evaluation measured besides accuracies, flops and params. */
export interface TrainMetrics {
  source: "train";
  backend: string;
  /** Threads the backend computed on (wasm: NASVAE_WASM_THREADS); absent for tensorflow. */
  threads?: number;
  validationLoss: number;
  testLoss: number;
  /** Of the last epoch trained. */
  trainLoss: number | null;
  trainAccuracy: number | null;
  /** Median inference latency, milliseconds. */
  latencyMs: { batch1: number; batch256: number };
  trainingTimeMs: number;
  samplesPerSecond: number;
}

export interface TrainEvaluationResult extends EvaluationResult {
  stoppedEarly: boolean;
  epochs: number;
  metrics: TrainMetrics & Record<string, unknown>;
}

/**
 * Trains the NAS-Bench-201 macro network of each cell on the spec's dataset and measures it.
 * The dataset is loaded on first use and shared by the process (dataset-cache.ts); a
 * DatasetUnavailableError reaches the caller as is.
 */
export class TrainEvaluator implements Evaluator {
  constructor(
    readonly spec: TrainEvaluatorSpec,
    private readonly options: EvaluatorOptions = {},
  ) {}

  async evaluate(
    archString: string,
    context: EvaluationContext = {},
  ): Promise<TrainEvaluationResult> {
    const cell = parseArchString(archString); // throws a clear error if malformed
    const dataset = await this.loadDataset();
    const shape: NetworkShape = {
      channels: this.spec.channels,
      cellsPerStage: this.spec.cellsPerStage,
      classes: dataset.classes,
      imageSize: dataset.imageSize,
    };
    const onEpoch = context.onEpoch?.bind(context);
    // Loaded on first use: TensorFlow.js is heavy, and the API and coordinator import this
    // package only to validate specs and compute fingerprints.
    const { setWasmThreads, trainCell } = await import("@nasvae/training");
    if (this.options.wasmThreads !== undefined) setWasmThreads(this.options.wasmThreads);
    const outcome = await trainCell(cell, dataset, shape, this.recipe(), {
      ...(onEpoch ? { onEpoch: (report: EpochReport) => onEpoch(toProgress(report)) } : {}),
    });
    return toResult(outcome);
  }

  fingerprint(): Promise<string> {
    return evaluatorFingerprint(this.spec, this.options);
  }

  private recipe(): TrainingRecipe {
    const { epochs, batchSize, optimizer, learningRate, momentum, weightDecay, augment, seed } =
      this.spec;
    return { epochs, batchSize, optimizer, learningRate, momentum, weightDecay, augment, seed };
  }

  private async loadDataset(): Promise<ImageDataset> {
    const dataset = await loadDatasetOnce(this.spec.dataset, this.options.datasetsDir);
    const { trainSamples } = this.spec;
    return trainSamples === undefined ? dataset : withTrainPrefix(dataset, trainSamples);
  }
}

/** The dataset with only its first `count` training images (views, no copies). */
function withTrainPrefix(dataset: ImageDataset, count: number): ImageDataset {
  const { train } = dataset;
  if (count >= train.count) return dataset;
  const imageBytes = dataset.imageSize * dataset.imageSize * dataset.channels;
  return {
    ...dataset,
    train: {
      images: train.images.subarray(0, count * imageBytes),
      labels: train.labels.subarray(0, count),
      count,
    },
  };
}

function toProgress(report: EpochReport): EpochProgress {
  return {
    epoch: report.epoch,
    epochs: report.epochs,
    trainLoss: report.trainLoss,
    trainAccuracy: report.trainAccuracy,
    validationLoss: report.validationLoss,
    validationAccuracy: report.validationAccuracy,
    learningRate: report.learningRate,
    durationMs: report.durationMs,
  };
}

function toResult(outcome: TrainingOutcome): TrainEvaluationResult {
  const last = outcome.curve.at(-1);
  return {
    validationAccuracy: outcome.validationAccuracy,
    testAccuracy: outcome.testAccuracy,
    flops: outcome.flops,
    params: outcome.params,
    stoppedEarly: outcome.stoppedEarly,
    epochs: outcome.epochsRun,
    metrics: {
      source: "train",
      backend: outcome.backend,
      ...(outcome.backendThreads === undefined ? {} : { threads: outcome.backendThreads }),
      validationLoss: outcome.validationLoss,
      testLoss: outcome.testLoss,
      trainLoss: last?.trainLoss ?? null,
      trainAccuracy: last?.trainAccuracy ?? null,
      latencyMs: { batch1: outcome.latencyMs.batch1, batch256: outcome.latencyMs.batch256 },
      trainingTimeMs: outcome.trainingTimeMs,
      samplesPerSecond: outcome.samplesPerSecond,
    },
  };
}
