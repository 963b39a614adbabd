import Type, { type Static, type TSchema } from "typebox";
import Value from "typebox/value";
import { DATASET_NAMES } from "./datasets.ts";
import { discriminatedUnion, kindsOf } from "./discriminated-union.ts";
import type { SearchSpaceId } from "./search-spaces.ts";

/*
 * The evaluator specs of a campaign (`evaluator` of POST /campaigns, and what the worker builds
 * an evaluator from), one schema per kind, with their defaults and bounds. The schemas check
 * every field; validateEvaluatorSpec adds what a schema cannot say (earlyStopping.afterEpochs
 * below epochs) and fills in the defaults. packages/evaluators implements each kind.
 */

/** NAS-Bench-201 datasets, spelled as in the benchmark. */
export const NB201_DATASETS = ["cifar10", "cifar100", "ImageNet16-120"] as const;
export type Nb201Dataset = (typeof NB201_DATASETS)[number];

export function isNb201Dataset(value: unknown): value is Nb201Dataset {
  return typeof value === "string" && (NB201_DATASETS as readonly string[]).includes(value);
}

/** The datasets a train spec may name (@nasvae/datasets). */
export const TRAIN_DATASETS = DATASET_NAMES;

/** The optimisers a train spec may name. */
export const TRAIN_OPTIMIZERS = ["sgd", "adam"] as const;

/** The defaults validateEvaluatorSpec fills in: a train spec that leaves a field out means these. */
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
} as const;

/** Inclusive bounds of the integer fields of a train spec. */
export const TRAIN_SPEC_LIMITS = {
  epochs: { min: 1, max: 1000 },
  batchSize: { min: 1, max: 4096 },
  cellsPerStage: { min: 1, max: 20 },
  channels: { min: 1, max: 512 },
  seed: { min: 0, max: 2 ** 31 - 1 },
  minPeers: { min: 1, max: 1000 },
  trainSamples: { min: 1, max: 10_000_000 },
} as const;

/** Default of MedianStoppingRule.minPeers. */
export const DEFAULT_MIN_PEERS = 3;

/**
 * Default of TRAIN_MEMORY_LIMIT_MB: half the WebAssembly backend's 4 GiB heap, so that an
 * estimate that is low by a fair margin still fits (docs/training.md, "Memory").
 */
export const DEFAULT_TRAIN_MEMORY_LIMIT_MB = 2048;

const defaults = TRAIN_SPEC_DEFAULTS;
const limits = TRAIN_SPEC_LIMITS;

function integer(limit: { min: number; max: number }, description: string) {
  return Type.Optional(Type.Integer({ minimum: limit.min, maximum: limit.max, description }));
}

/** Tabular lookup in the NAS-Bench-201 table for one dataset. */
export const NasBench201EvaluatorSpecSchema = Type.Object(
  { kind: Type.Literal("nas-bench-201"), dataset: Type.Enum([...NB201_DATASETS]) },
  { additionalProperties: false, description: "look results up in the NAS-Bench-201 table" },
);

/**
 * Lookup in D-VAE's ENAS-6 table (data/enas6): weight-sharing accuracy on CIFAR-10. `dataset`
 * may be left out and is always "cifar10" (the table has no other): it is filled in so that
 * every spec names its dataset.
 */
export const Enas6TableEvaluatorSpecSchema = Type.Object(
  {
    kind: Type.Literal("enas-6-table"),
    dataset: Type.Optional(
      Type.Literal("cifar10", { description: "the table's only dataset; filled in if left out" }),
    ),
  },
  {
    additionalProperties: false,
    description:
      "look enas-macro-6 cells up in D-VAE's ENAS-6 table: weight-sharing CIFAR-10 validation accuracy, no test accuracy (null)",
  },
);

/**
 * Median stopping: once `afterEpochs` epochs have run, a run whose best validation accuracy so
 * far is below the median that other runs with the same evaluator reached at the same epoch is
 * stopped. Nothing is stopped while fewer than `minPeers` other runs reached that epoch.
 * `afterEpochs` must also be below the spec's `epochs` (validateEvaluatorSpec).
 */
export const MedianStoppingRuleSchema = Type.Object(
  {
    rule: Type.Literal("median"),
    afterEpochs: Type.Integer({ minimum: 1, description: "below epochs" }),
    minPeers: integer(limits.minPeers, `default ${DEFAULT_MIN_PEERS}`),
  },
  { additionalProperties: false, description: "absent: every run trains all its epochs" },
);

/**
 * Real training of each cell's macro network (docs/training.md). Field bounds are checked here;
 * what depends on several fields (earlyStopping.afterEpochs below epochs) by
 * validateEvaluatorSpec.
 */
export const TrainEvaluatorSpecSchema = Type.Object(
  {
    kind: Type.Literal("train"),
    dataset: Type.Enum([...TRAIN_DATASETS], { description: "see GET /datasets" }),
    epochs: integer(limits.epochs, `default ${defaults.epochs}`),
    batchSize: integer(limits.batchSize, `default ${defaults.batchSize}`),
    cellsPerStage: integer(limits.cellsPerStage, `N; default ${defaults.cellsPerStage}`),
    channels: integer(limits.channels, `C of the first stage; default ${defaults.channels}`),
    optimizer: Type.Optional(
      Type.Enum([...TRAIN_OPTIMIZERS], { description: `default ${defaults.optimizer}` }),
    ),
    learningRate: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 10,
        description: `default ${defaults.learningRate}`,
      }),
    ),
    momentum: Type.Optional(
      Type.Number({
        minimum: 0,
        exclusiveMaximum: 1,
        description: `SGD only; default ${defaults.momentum}`,
      }),
    ),
    weightDecay: Type.Optional(
      Type.Number({
        minimum: 0,
        exclusiveMaximum: 1,
        description: `default ${defaults.weightDecay}`,
      }),
    ),
    augment: Type.Optional(
      Type.Boolean({ description: `random crop + flip; default ${defaults.augment}` }),
    ),
    seed: integer(limits.seed, `default ${defaults.seed}`),
    trainSamples: integer(limits.trainSamples, "train on the first n images only; default all"),
    earlyStopping: Type.Optional(MedianStoppingRuleSchema),
  },
  { additionalProperties: false, description: "train each architecture for real" },
);

const EVALUATOR_SPEC_VARIANTS = [
  NasBench201EvaluatorSpecSchema,
  Enas6TableEvaluatorSpecSchema,
  TrainEvaluatorSpecSchema,
] as const;

/**
 * An evaluator spec as posted (the `evaluator` of POST /campaigns), checked with messages for
 * the kind it names; defaults are left out. validateEvaluatorSpec makes an EvaluatorSpec of it.
 */
export const EvaluatorSpecSchema = discriminatedUnion(EVALUATOR_SPEC_VARIANTS);
export type EvaluatorSpecInput = Static<typeof EvaluatorSpecSchema>;

/**
 * Evaluator kinds: tabular lookups (NAS-Bench-201; the ENAS-6 weight-sharing table), and real
 * training (docs/training.md).
 */
export const EVALUATOR_KINDS = kindsOf(EVALUATOR_SPEC_VARIANTS);
export type EvaluatorKind = (typeof EVALUATOR_KINDS)[number];

/** `T` with the fields of `K` present, as a validated spec has them. */
type Filled<T, K extends keyof T> = Omit<T, K> & { readonly [P in K]-?: Exclude<T[P], undefined> };

export type NasBench201EvaluatorSpec = Static<typeof NasBench201EvaluatorSpecSchema>;
export type Enas6TableEvaluatorSpec = Filled<
  Static<typeof Enas6TableEvaluatorSpecSchema>,
  "dataset"
>;
/** A median stopping rule with its default filled in. */
export type MedianStoppingRule = Filled<Static<typeof MedianStoppingRuleSchema>, "minPeers">;
/** A train spec with its defaults filled in (TRAIN_SPEC_DEFAULTS). */
export type TrainEvaluatorSpec = Omit<
  Filled<Static<typeof TrainEvaluatorSpecSchema>, keyof typeof TRAIN_SPEC_DEFAULTS>,
  "earlyStopping"
> & { readonly earlyStopping?: MedianStoppingRule };

/** A validated evaluator spec, defaults filled in; discriminated by `kind`. */
export type EvaluatorSpec = NasBench201EvaluatorSpec | Enas6TableEvaluatorSpec | TrainEvaluatorSpec;

/** An evaluator spec that cannot be used; the message says what is wrong. */
export class EvaluatorSpecError extends Error {
  override name = "EvaluatorSpecError";
}

/** How each kind names its unknown fields and its bad datasets in messages. */
const KIND_MESSAGES: Record<
  EvaluatorKind,
  { fields: string; dataset: (value: unknown) => string }
> = {
  "nas-bench-201": {
    fields: "evaluator spec",
    dataset: (value) =>
      `Unknown nas-bench-201 dataset ${JSON.stringify(value)} (expected one of ${NB201_DATASETS.join(", ")})`,
  },
  "enas-6-table": {
    fields: "evaluator spec",
    dataset: (value) =>
      `The enas-6-table evaluator scores cifar10 only (got dataset ${JSON.stringify(value)})`,
  },
  train: {
    fields: "train evaluator spec",
    dataset: (value) =>
      `Unknown train dataset ${JSON.stringify(value)} (expected one of ${TRAIN_DATASETS.join(", ")})`,
  },
};

/**
 * Checks untrusted input (e.g. an API body) against the schema of the kind it names and returns
 * a clean spec with only known keys and defaults filled in, keys in a fixed order, so that two
 * specs meaning the same thing always have the same fingerprint. Throws EvaluatorSpecError
 * naming the field and its bounds, e.g. `epochs must be an integer from 1 to 1000, got 0`.
 */
export function validateEvaluatorSpec(value: unknown): EvaluatorSpec {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new EvaluatorSpecError("Evaluator spec must be an object");
  }
  const kind = (value as { kind?: unknown }).kind;
  const schema = EVALUATOR_SPEC_VARIANTS.find((variant) => variant.properties.kind.const === kind);
  if (!schema) {
    throw new EvaluatorSpecError(
      `Unknown evaluator kind ${JSON.stringify(kind)} (expected one of ${EVALUATOR_KINDS.join(", ")})`,
    );
  }
  if (!Value.Check(schema, value)) {
    throw new EvaluatorSpecError(
      firstProblem(schema, value, KIND_MESSAGES[schema.properties.kind.const]),
    );
  }
  const spec = value as EvaluatorSpecInput;
  switch (spec.kind) {
    case "nas-bench-201":
      return { kind: spec.kind, dataset: spec.dataset };
    case "enas-6-table":
      return { kind: spec.kind, dataset: "cifar10" };
    case "train":
      return completeTrainSpec(spec);
  }
}

/** validateEvaluatorSpec of a `train` spec given without its `kind`. */
export function validateTrainSpec(fields: Record<string, unknown>): TrainEvaluatorSpec {
  return validateEvaluatorSpec({ ...fields, kind: "train" }) as TrainEvaluatorSpec;
}

/** Defaults filled in, and the one cross-field rule: earlyStopping acts before the last epoch. */
function completeTrainSpec(
  fields: Extract<EvaluatorSpecInput, { kind: "train" }>,
): TrainEvaluatorSpec {
  const spec: TrainEvaluatorSpec = {
    kind: "train",
    dataset: fields.dataset,
    epochs: fields.epochs ?? defaults.epochs,
    batchSize: fields.batchSize ?? defaults.batchSize,
    cellsPerStage: fields.cellsPerStage ?? defaults.cellsPerStage,
    channels: fields.channels ?? defaults.channels,
    optimizer: fields.optimizer ?? defaults.optimizer,
    learningRate: fields.learningRate ?? defaults.learningRate,
    momentum: fields.momentum ?? defaults.momentum,
    weightDecay: fields.weightDecay ?? defaults.weightDecay,
    augment: fields.augment ?? defaults.augment,
    seed: fields.seed ?? defaults.seed,
  };
  const { trainSamples, earlyStopping } = fields;
  if (earlyStopping === undefined) {
    return trainSamples === undefined ? spec : { ...spec, trainSamples };
  }
  // A rule that could only act after the last epoch would never stop anything: say so.
  if (spec.epochs < 2) {
    throw new EvaluatorSpecError("earlyStopping needs epochs of at least 2");
  }
  if (earlyStopping.afterEpochs > spec.epochs - 1) {
    throw new EvaluatorSpecError(
      `earlyStopping.afterEpochs must be an integer from 1 to ${spec.epochs - 1}, got ${earlyStopping.afterEpochs}`,
    );
  }
  return {
    ...spec,
    ...(trainSamples === undefined ? {} : { trainSamples }),
    earlyStopping: {
      rule: earlyStopping.rule,
      afterEpochs: earlyStopping.afterEpochs,
      minPeers: earlyStopping.minPeers ?? DEFAULT_MIN_PEERS,
    },
  };
}

interface FieldSchema {
  type?: string;
  properties?: Record<string, FieldSchema>;
  enum?: readonly unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

/** The first thing wrong with `value` by `schema` (Value.Errors), said of the field it is about. */
function firstProblem(
  schema: TSchema,
  value: unknown,
  messages: { fields: string; dataset: (value: unknown) => string },
): string {
  const root = schema as FieldSchema;
  for (const error of Value.Errors(schema, value)) {
    const path = error.instancePath.split("/").slice(1);
    if (error.keyword === "additionalProperties") {
      const names = (error.params as { additionalProperties: string[] }).additionalProperties;
      const where = path.length === 0 ? messages.fields : path.join(".");
      return `Unknown ${where} field(s): ${names.join(", ")}`;
    }
    if (error.keyword === "boolean") continue; // the same unknown field, reported above
    if (error.keyword === "required") {
      const [missing] = (error.params as { requiredProperties: string[] }).requiredProperties;
      if (missing !== undefined) path.push(missing);
    }
    const field = fieldAt(root, path);
    const fieldValue = path.reduce<unknown>(
      (object, key) => (object as Record<string, unknown> | undefined)?.[key],
      value,
    );
    if (path.length === 1 && path[0] === "dataset") return messages.dataset(fieldValue);
    return describe(path.join("."), field, fieldValue);
  }
  return "Evaluator spec is invalid";
}

function fieldAt(schema: FieldSchema, path: readonly string[]): FieldSchema {
  return path.reduce<FieldSchema>((at, key) => at.properties?.[key] ?? {}, schema);
}

/** `<name> must be <what the schema allows>, got <value>`. */
function describe(name: string, schema: FieldSchema, value: unknown): string {
  const got = `got ${JSON.stringify(value)}`;
  if (schema.type === "integer") {
    const range =
      schema.maximum === undefined
        ? `of at least ${schema.minimum}`
        : `from ${schema.minimum} to ${schema.maximum}`;
    return `${name} must be an integer ${range}, ${got}`;
  }
  if (schema.type === "number") {
    const low =
      schema.exclusiveMinimum !== undefined
        ? `> ${schema.exclusiveMinimum}`
        : `>= ${schema.minimum}`;
    const high =
      schema.exclusiveMaximum !== undefined
        ? `< ${schema.exclusiveMaximum}`
        : `<= ${schema.maximum}`;
    return `${name} must be a number ${low} and ${high}, ${got}`;
  }
  if (schema.type === "boolean") return `${name} must be true or false, ${got}`;
  if (schema.enum) return `${name} must be one of ${schema.enum.join(", ")}, ${got}`;
  if (schema.const !== undefined) return `${name} must be ${JSON.stringify(schema.const)}, ${got}`;
  if (name === "earlyStopping") {
    return "earlyStopping must be an object such as {rule: median, afterEpochs: 2}";
  }
  return `${name} is invalid, ${got}`;
}

/**
 * The search spaces each evaluator kind can score: a table only the space it was measured on,
 * training any space it can build a network for.
 */
export const EVALUATOR_SEARCH_SPACES: Readonly<Record<EvaluatorKind, readonly SearchSpaceId[]>> = {
  "nas-bench-201": ["nas-bench-201"],
  "enas-6-table": ["enas-macro-6"],
  train: ["nas-bench-201", "enas-macro-6"],
};

/** The evaluator kinds that can score a search space, in EVALUATOR_KINDS order. */
export function evaluatorKindsFor(searchSpaceId: string): EvaluatorKind[] {
  return EVALUATOR_KINDS.filter((kind) =>
    (EVALUATOR_SEARCH_SPACES[kind] as readonly string[]).includes(searchSpaceId),
  );
}

/**
 * Why an evaluator kind cannot score a search space, e.g.
 * `evaluator "enas-6-table" cannot score search space "nas-bench-201" (it scores: enas-macro-6)`;
 * null when it can.
 */
export function searchSpaceMismatch(kind: EvaluatorKind, searchSpaceId: string): string | null {
  const scored: readonly string[] = EVALUATOR_SEARCH_SPACES[kind];
  if (scored.includes(searchSpaceId)) return null;
  return `evaluator "${kind}" cannot score search space "${searchSpaceId}" (it scores: ${scored.join(", ")})`;
}
