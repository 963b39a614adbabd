import { isNb201Dataset, NB201_DATASETS, type Nb201Dataset } from "./nas-bench-201/datasets.ts";
import { EvaluatorSpecError } from "./spec-error.ts";
import { type TrainEvaluatorSpec, validateTrainSpec } from "./train/train-spec.ts";

export { EvaluatorSpecError } from "./spec-error.ts";

/**
 * Evaluator kinds: tabular lookups (NAS-Bench-201; the ENAS-6 weight-sharing table), and real
 * training (docs/training.md).
 */
export const EVALUATOR_KINDS = ["nas-bench-201", "enas-6-table", "train"] as const;

export type EvaluatorKind = (typeof EVALUATOR_KINDS)[number];

/** Tabular lookup in the NAS-Bench-201 table for one dataset. */
export interface NasBench201EvaluatorSpec {
  readonly kind: "nas-bench-201";
  readonly dataset: Nb201Dataset;
}

/**
 * Lookup in D-VAE's ENAS-6 table (data/enas6): weight-sharing accuracy on CIFAR-10. `dataset`
 * may be left out and is always "cifar10" (the table has no other): it is filled in so that
 * every spec names its dataset.
 */
export interface Enas6TableEvaluatorSpec {
  readonly kind: "enas-6-table";
  readonly dataset: "cifar10";
}

/** Union of all evaluator specs, discriminated by `kind`. */
export type EvaluatorSpec = NasBench201EvaluatorSpec | Enas6TableEvaluatorSpec | TrainEvaluatorSpec;

/**
 * Checks untrusted input (e.g. an API body) and returns a clean spec with only known keys and
 * defaults filled in; throws EvaluatorSpecError saying what is wrong. Unknown keys are rejected
 * so that two specs meaning the same thing always have the same fingerprint.
 */
export function validateEvaluatorSpec(value: unknown): EvaluatorSpec {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new EvaluatorSpecError("Evaluator spec must be an object");
  }
  const { kind, ...rest } = value as Record<string, unknown>;
  if (kind === "train") return validateTrainSpec(rest);
  if (kind === "enas-6-table") return validateEnas6TableSpec(rest);
  if (kind !== "nas-bench-201") {
    throw new EvaluatorSpecError(
      `Unknown evaluator kind ${JSON.stringify(kind)} (expected one of ${EVALUATOR_KINDS.join(", ")})`,
    );
  }
  const { dataset, ...extra } = rest;
  if (!isNb201Dataset(dataset)) {
    throw new EvaluatorSpecError(
      `Unknown nas-bench-201 dataset ${JSON.stringify(dataset)} (expected one of ${NB201_DATASETS.join(", ")})`,
    );
  }
  const unknownKeys = Object.keys(extra);
  if (unknownKeys.length > 0) {
    throw new EvaluatorSpecError(`Unknown evaluator spec field(s): ${unknownKeys.join(", ")}`);
  }
  return { kind, dataset };
}

function validateEnas6TableSpec(rest: Record<string, unknown>): Enas6TableEvaluatorSpec {
  const { dataset = "cifar10", ...extra } = rest;
  if (dataset !== "cifar10") {
    throw new EvaluatorSpecError(
      `The enas-6-table evaluator scores cifar10 only (got dataset ${JSON.stringify(dataset)})`,
    );
  }
  const unknownKeys = Object.keys(extra);
  if (unknownKeys.length > 0) {
    throw new EvaluatorSpecError(`Unknown evaluator spec field(s): ${unknownKeys.join(", ")}`);
  }
  return { kind: "enas-6-table", dataset };
}
