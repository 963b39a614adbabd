import { DATASET_NAMES, type DatasetName, isDatasetName } from "@nasvae/datasets";
import { EvaluatorSpecError } from "../spec-error.ts";

/**
 * Median stopping: once `afterEpochs` epochs have run, a run whose best validation accuracy so
 * far is below the median that other runs with the same evaluator reached at the same epoch is
 * stopped. Nothing is stopped while fewer than `minPeers` other runs reached that epoch.
 */
// A type, not an interface: the spec is stored as JSON and must stay assignable to JSON objects.
export type MedianStoppingRule = {
  readonly rule: "median";
  /** Epochs every run trains before the rule may stop it; at least 1, below `epochs`. */
  readonly afterEpochs: number;
  /** Other runs that must have reached the epoch before a median is trusted. Default 3. */
  readonly minPeers: number;
};

/** Trains the NAS-Bench-201 macro network of each cell for real (packages/training). */
export interface TrainEvaluatorSpec {
  readonly kind: "train";
  /** A name of @nasvae/datasets (DATASET_NAMES). */
  readonly dataset: DatasetName;
  /** Default 12 (NAS-Bench-201's short schedule). */
  readonly epochs: number;
  /** Default 64. */
  readonly batchSize: number;
  /** N: cells per stage; default 5 (NAS-Bench-201). */
  readonly cellsPerStage: number;
  /** C: channels of the first stage (then 2C, 4C); default 16 (NAS-Bench-201). */
  readonly channels: number;
  /** Default "sgd" (Nesterov momentum, cosine schedule, as NAS-Bench-201). */
  readonly optimizer: "sgd" | "adam";
  /** Default 0.1 (NAS-Bench-201's SGD rate; use about 1e-3 with adam). */
  readonly learningRate: number;
  /** SGD only; default 0.9. */
  readonly momentum: number;
  /** Default 5e-4. */
  readonly weightDecay: number;
  /** Random crop with padding + horizontal flip; default true. */
  readonly augment: boolean;
  /** Default 0. */
  readonly seed: number;
  /**
   * Train on the first n training images only (a low-fidelity proxy, and quick checks such as
   * tests and the demo); absent: all of them. Validation and test splits are always whole.
   */
  readonly trainSamples?: number;
  /** Absent: every run trains all its epochs. */
  readonly earlyStopping?: MedianStoppingRule;
}

/** The defaults validateTrainSpec fills in: a spec that leaves a field out means these. */
export const TRAIN_SPEC_DEFAULTS = {
  epochs: 12,
  batchSize: 64,
  cellsPerStage: 5,
  channels: 16,
  optimizer: "sgd",
  learningRate: 0.1,
  momentum: 0.9,
  weightDecay: 5e-4,
  augment: true,
  seed: 0,
} as const satisfies Omit<TrainEvaluatorSpec, "kind" | "dataset" | "earlyStopping">;

/** Inclusive bounds of the integer fields (the API's schema shows the same). */
export const TRAIN_SPEC_LIMITS = {
  epochs: { min: 1, max: 1000 },
  batchSize: { min: 1, max: 4096 },
  cellsPerStage: { min: 1, max: 20 },
  channels: { min: 1, max: 512 },
  seed: { min: 0, max: 2 ** 31 - 1 },
  minPeers: { min: 1, max: 1000 },
  trainSamples: { min: 1, max: 10_000_000 },
} as const;

/** The optimisers a train spec may name. */
export const TRAIN_OPTIMIZERS = ["sgd", "adam"] as const;

/** Default of MedianStoppingRule.minPeers. */
export const DEFAULT_MIN_PEERS = 3;

/**
 * Checks a `train` spec (everything but `kind`) and returns it complete, with defaults filled in
 * and keys in a fixed order, so that specs with equal meaning have equal fingerprints.
 */
export function validateTrainSpec(fields: Record<string, unknown>): TrainEvaluatorSpec {
  const {
    dataset,
    epochs = TRAIN_SPEC_DEFAULTS.epochs,
    batchSize = TRAIN_SPEC_DEFAULTS.batchSize,
    cellsPerStage = TRAIN_SPEC_DEFAULTS.cellsPerStage,
    channels = TRAIN_SPEC_DEFAULTS.channels,
    optimizer = TRAIN_SPEC_DEFAULTS.optimizer,
    learningRate = TRAIN_SPEC_DEFAULTS.learningRate,
    momentum = TRAIN_SPEC_DEFAULTS.momentum,
    weightDecay = TRAIN_SPEC_DEFAULTS.weightDecay,
    augment = TRAIN_SPEC_DEFAULTS.augment,
    seed = TRAIN_SPEC_DEFAULTS.seed,
    trainSamples,
    earlyStopping,
    ...extra
  } = fields;
  rejectUnknown(extra, "train evaluator spec");
  if (!isDatasetName(dataset)) {
    throw new EvaluatorSpecError(
      `Unknown train dataset ${JSON.stringify(dataset)} (expected one of ${DATASET_NAMES.join(", ")})`,
    );
  }
  if (!TRAIN_OPTIMIZERS.includes(optimizer as never)) {
    throw new EvaluatorSpecError(
      `optimizer must be one of ${TRAIN_OPTIMIZERS.join(", ")}, got ${JSON.stringify(optimizer)}`,
    );
  }
  if (typeof augment !== "boolean") {
    throw new EvaluatorSpecError(`augment must be true or false, got ${JSON.stringify(augment)}`);
  }
  const spec: TrainEvaluatorSpec = {
    kind: "train",
    dataset,
    epochs: integer("epochs", epochs, TRAIN_SPEC_LIMITS.epochs),
    batchSize: integer("batchSize", batchSize, TRAIN_SPEC_LIMITS.batchSize),
    cellsPerStage: integer("cellsPerStage", cellsPerStage, TRAIN_SPEC_LIMITS.cellsPerStage),
    channels: integer("channels", channels, TRAIN_SPEC_LIMITS.channels),
    optimizer: optimizer as "sgd" | "adam",
    learningRate: number("learningRate", learningRate, { above: 0, atMost: 10 }),
    momentum: number("momentum", momentum, { atLeast: 0, below: 1 }),
    weightDecay: number("weightDecay", weightDecay, { atLeast: 0, below: 1 }),
    augment,
    seed: integer("seed", seed, TRAIN_SPEC_LIMITS.seed),
  };
  return {
    ...spec,
    ...(trainSamples === undefined
      ? {}
      : { trainSamples: integer("trainSamples", trainSamples, TRAIN_SPEC_LIMITS.trainSamples) }),
    ...(earlyStopping === undefined
      ? {}
      : { earlyStopping: validateMedianRule(earlyStopping, spec.epochs) }),
  };
}

function validateMedianRule(value: unknown, epochs: number): MedianStoppingRule {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new EvaluatorSpecError(
      "earlyStopping must be an object such as {rule: median, afterEpochs: 2}",
    );
  }
  const {
    rule,
    afterEpochs,
    minPeers = DEFAULT_MIN_PEERS,
    ...extra
  } = value as Record<string, unknown>;
  rejectUnknown(extra, "earlyStopping");
  if (rule !== "median") {
    throw new EvaluatorSpecError(
      `earlyStopping.rule must be "median", got ${JSON.stringify(rule)}`,
    );
  }
  // A rule that could only act after the last epoch would never stop anything: say so.
  if (epochs < 2) {
    throw new EvaluatorSpecError("earlyStopping needs epochs of at least 2");
  }
  return {
    rule,
    afterEpochs: integer("earlyStopping.afterEpochs", afterEpochs, { min: 1, max: epochs - 1 }),
    minPeers: integer("earlyStopping.minPeers", minPeers, TRAIN_SPEC_LIMITS.minPeers),
  };
}

function rejectUnknown(extra: Record<string, unknown>, where: string): void {
  const unknownKeys = Object.keys(extra);
  if (unknownKeys.length > 0) {
    throw new EvaluatorSpecError(`Unknown ${where} field(s): ${unknownKeys.join(", ")}`);
  }
}

function integer(
  name: string,
  value: unknown,
  { min, max }: { readonly min: number; readonly max: number },
): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new EvaluatorSpecError(
      `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

interface Bounds {
  above?: number;
  atLeast?: number;
  below?: number;
  atMost?: number;
}

function number(name: string, value: unknown, bounds: Bounds): number {
  const { above, atLeast, below, atMost } = bounds;
  const ok =
    typeof value === "number" &&
    Number.isFinite(value) &&
    (above === undefined || value > above) &&
    (atLeast === undefined || value >= atLeast) &&
    (below === undefined || value < below) &&
    (atMost === undefined || value <= atMost);
  if (!ok) {
    const low = above !== undefined ? `> ${above}` : `>= ${atLeast}`;
    const high = below !== undefined ? `< ${below}` : `<= ${atMost}`;
    throw new EvaluatorSpecError(
      `${name} must be a number ${low} and ${high}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
