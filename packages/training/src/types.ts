import type { Nb201Cell } from "@nasvae/search-space";

export type { EnasNetworkShape, ImageShape, NetworkShape } from "@nasvae/search-space";

/** How a child network is trained; every field is part of the evaluator's fingerprint. */
export interface TrainingRecipe {
  readonly epochs: number;
  readonly batchSize: number;
  /** `sgd`: Nesterov momentum with a cosine schedule, as NAS-Bench-201 trains. */
  readonly optimizer: "sgd" | "adam";
  readonly learningRate: number;
  /** SGD only (NAS-Bench-201: 0.9). */
  readonly momentum: number;
  /** L2 penalty on conv and dense weights (NAS-Bench-201: 5e-4). */
  readonly weightDecay: number;
  /** Random crop with 4-pixel padding and horizontal flip of training images. */
  readonly augment: boolean;
  /** Seeds initialisation, shuffling and augmentation. */
  readonly seed: number;
}

/** One finished epoch; accuracies in percent, like every result in this project. */
export interface EpochReport {
  /** 1-based. */
  readonly epoch: number;
  readonly epochs: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly validationLoss: number;
  readonly validationAccuracy: number;
  readonly learningRate: number;
  readonly durationMs: number;
  readonly samplesPerSecond: number;
}

/** What the caller wants after an epoch: go on, or stop here (early stopping, cancel). */
export type EpochDecision = "continue" | "stop";

export interface TrainCallbacks {
  /** Called after every epoch, awaited before the next starts. */
  onEpoch?(report: EpochReport): EpochDecision | Promise<EpochDecision>;
  /** Where the run saves its state and resumes from (absent: no checkpoints). */
  checkpoint?: CheckpointHooks;
}

/**
 * Storage of one run's checkpoint (checkpoint.ts makes and reads the bytes). The run loads it
 * before its first epoch and, after every `every`-th epoch but the last, once onEpoch has
 * answered "continue", saves the state it would continue from.
 */
export interface CheckpointHooks {
  /** Epochs between saves; at least 1. */
  readonly every: number;
  /** The last saved checkpoint, or undefined when there is none. */
  load(): Promise<Uint8Array | undefined>;
  save(bytes: Uint8Array): Promise<void>;
  /** The run resumed after `epoch`; `curve` is what it had reported up to there. */
  onResume?(epoch: number, curve: readonly EpochReport[]): void | Promise<void>;
  /** The loaded checkpoint could not be used (another network, recipe, or corrupt): fresh start. */
  onDiscard?(reason: string): void | Promise<void>;
}

/** Everything measured for one trained network. */
export interface TrainingOutcome<Cell = Nb201Cell> {
  readonly cell: Cell;
  readonly epochsRun: number;
  /** True when onEpoch said "stop" before the last epoch. */
  readonly stoppedEarly: boolean;
  readonly validationAccuracy: number;
  readonly validationLoss: number;
  readonly testAccuracy: number;
  readonly testLoss: number;
  /** Counted from the built model (multiply-accumulates, NAS-Bench-201's convention). */
  readonly flops: number;
  readonly params: number;
  /** Median inference latency over repeats, in milliseconds. */
  readonly latencyMs: { readonly batch1: number; readonly batch256: number };
  readonly trainingTimeMs: number;
  /** Training samples per second over the whole run. */
  readonly samplesPerSecond: number;
  /** The TensorFlow.js backend that ran it (tensorflow, wasm, cpu). */
  readonly backend: string;
  /** The threads it computed on, where we set them (wasm, cpu); undefined for tensorflow. */
  readonly backendThreads?: number;
  readonly curve: readonly EpochReport[];
}
