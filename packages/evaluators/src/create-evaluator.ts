import type { Evaluator } from "./evaluator.ts";
import { NasBench201TabularEvaluator } from "./nas-bench-201/tabular-evaluator.ts";
import type { EvaluatorOptions } from "./options.ts";
import { type EvaluatorSpec, validateEvaluatorSpec } from "./spec.ts";
import { TrainEvaluator } from "./train/train-evaluator.ts";

/** Builds the evaluator for a spec (validated first); callers only see the Evaluator interface. */
export function createEvaluator(spec: EvaluatorSpec, options: EvaluatorOptions = {}): Evaluator {
  const clean = validateEvaluatorSpec(spec);
  switch (clean.kind) {
    case "nas-bench-201":
      return new NasBench201TabularEvaluator(clean.dataset, options);
    case "train":
      return new TrainEvaluator(clean, options);
  }
}
