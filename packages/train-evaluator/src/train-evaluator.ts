import { EvaluatorSpecError, type TrainEvaluatorSpec } from "@nasvae/contracts";
import type { ImageDataset } from "@nasvae/datasets";
import {
  type EpochProgress,
  type EvaluationCheckpoints,
  type EvaluationContext,
  type EvaluationResult,
  type Evaluator,
  type EvaluatorOptions,
  evaluatorFingerprint,
} from "@nasvae/evaluators";
import {
  ENAS_SEARCH_SPACE_ID,
  type EnasCell,
  NB201_SEARCH_SPACE_ID,
  type Nb201Cell,
  parseArchString,
  parseEnasArchString,
} from "@nasvae/search-space";
import type {
  CheckpointHooks,
  EpochReport,
  TrainCallbacks,
  TrainingOutcome,
  TrainingRecipe,
} from "@nasvae/training";
import { loadDatasetOnce } from "./dataset-cache.ts";

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

type ParsedCell =
  | { readonly space: "enas"; readonly cell: EnasCell }
  | { readonly space: "nb201"; readonly cell: Nb201Cell };

/** The search spaces whose networks the train evaluator builds. */
export const TRAINABLE_SEARCH_SPACE_IDS = [NB201_SEARCH_SPACE_ID, ENAS_SEARCH_SPACE_ID] as const;

export type TrainableSearchSpaceId = (typeof TRAINABLE_SEARCH_SPACE_IDS)[number];

/**
 * Trains the macro network of each cell of the campaign's search space on the spec's dataset
 * and measures it: NAS-Bench-201's network (channels C, cellsPerStage N) or ENAS-6's macro child
 * (channels C; cellsPerStage means nothing there and is ignored). The network reads the
 * dataset's own image size and colour channels.
 * The dataset is loaded on first use and shared by the process (dataset-cache.ts); a
 * DatasetUnavailableError reaches the caller as is.
 */
export class TrainEvaluator implements Evaluator {
  readonly searchSpaceId: TrainableSearchSpaceId;

  /**
   * @param searchSpaceId the campaign's search space: whose arch strings `evaluate` gets and
   *   which network it builds. Default "nas-bench-201". Any other space: EvaluatorSpecError.
   */
  constructor(
    readonly spec: TrainEvaluatorSpec,
    private readonly options: EvaluatorOptions = {},
    searchSpaceId: string = NB201_SEARCH_SPACE_ID,
  ) {
    if (!TRAINABLE_SEARCH_SPACE_IDS.includes(searchSpaceId as never)) {
      throw new EvaluatorSpecError(
        `the train evaluator builds networks for ${TRAINABLE_SEARCH_SPACE_IDS.join(" and ")} cells, not ${JSON.stringify(searchSpaceId)}`,
      );
    }
    this.searchSpaceId = searchSpaceId as TrainableSearchSpaceId;
  }

  async evaluate(
    archString: string,
    context: EvaluationContext = {},
  ): Promise<TrainEvaluationResult> {
    // Parsed first: a malformed string throws a clear error before any loading.
    const parsed: ParsedCell =
      this.searchSpaceId === ENAS_SEARCH_SPACE_ID
        ? { space: "enas", cell: parseEnasArchString(archString) }
        : { space: "nb201", cell: parseArchString(archString) };
    const dataset = await this.loadDataset();
    const input = {
      classes: dataset.classes,
      imageSize: dataset.imageSize,
      inputChannels: dataset.channels,
    };
    const onEpoch = context.onEpoch?.bind(context);
    const checkpoints = context.checkpoints;
    const callbacks: TrainCallbacks = {
      ...(onEpoch ? { onEpoch: (report: EpochReport) => onEpoch(toProgress(report)) } : {}),
      ...(checkpoints ? { checkpoint: checkpointHooks(checkpoints) } : {}),
    };
    // Loaded on first use: TensorFlow.js is heavy, and the API and coordinator import this
    // package only to validate specs and compute fingerprints.
    const { setWasmThreads, trainCell, trainEnasCell } = await import("@nasvae/training");
    if (this.options.wasmThreads !== undefined) setWasmThreads(this.options.wasmThreads);
    const { channels, cellsPerStage } = this.spec;
    const recipe = this.recipe();
    const outcome: TrainingOutcome<unknown> =
      parsed.space === "enas"
        ? await trainEnasCell(parsed.cell, dataset, { ...input, channels }, recipe, callbacks)
        : await trainCell(
            parsed.cell,
            dataset,
            { ...input, channels, cellsPerStage },
            recipe,
            callbacks,
          );
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

/** The training package's hooks over the worker's checkpoint storage. */
function checkpointHooks(checkpoints: EvaluationCheckpoints): CheckpointHooks {
  const { onResume, onDiscard } = checkpoints;
  return {
    every: checkpoints.every,
    load: () => checkpoints.load(),
    save: (bytes) => checkpoints.save(bytes),
    ...(onResume
      ? {
          onResume: (epoch: number, curve: readonly EpochReport[]) =>
            onResume.call(checkpoints, epoch, curve.map(toProgress)),
        }
      : {}),
    ...(onDiscard ? { onDiscard: (reason: string) => onDiscard.call(checkpoints, reason) } : {}),
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

function toResult(outcome: TrainingOutcome<unknown>): TrainEvaluationResult {
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
