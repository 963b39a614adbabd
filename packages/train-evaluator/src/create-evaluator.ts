import {
  type EvaluatorSpec,
  EvaluatorSpecError,
  searchSpaceMismatch,
  validateEvaluatorSpec,
} from "@nasvae/contracts";
import {
  Enas6TabularEvaluator,
  type Evaluator,
  type EvaluatorOptions,
  NasBench201TabularEvaluator,
} from "@nasvae/evaluators";
import { TrainEvaluator } from "./train-evaluator.ts";

/**
 * Builds the evaluator for a spec (validated first); callers only see the Evaluator interface.
 * `searchSpaceId`: the campaign's search space (registry id), whose cells it will be given; a
 * kind that cannot score that space is an EvaluatorSpecError; train builds that space's network.
 * Default: the space of the kind's own data, nas-bench-201 for train (what callers that predate
 * other spaces meant).
 */
export function createEvaluator(
  spec: EvaluatorSpec,
  options: EvaluatorOptions = {},
  searchSpaceId?: string,
): Evaluator {
  const clean = validateEvaluatorSpec(spec);
  if (searchSpaceId !== undefined) {
    const mismatch = searchSpaceMismatch(clean.kind, searchSpaceId);
    if (mismatch) throw new EvaluatorSpecError(mismatch);
  }
  switch (clean.kind) {
    case "nas-bench-201":
      return new NasBench201TabularEvaluator(clean.dataset, options);
    case "enas-6-table":
      return new Enas6TabularEvaluator(options);
    case "train":
      return searchSpaceId === undefined
        ? new TrainEvaluator(clean, options)
        : new TrainEvaluator(clean, options, searchSpaceId);
  }
}
