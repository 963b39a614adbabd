import { EvaluatorSpecError } from "@nasvae/contracts";
import { DatasetUnavailableError } from "@nasvae/datasets";
import { UnscorableArchitectureError } from "./unscorable-architecture.ts";

/**
 * Whether an error of `Evaluator.evaluate` is one that trying again cannot fix: missing dataset
 * files, a spec or a network/recipe that cannot be trained (@nasvae/training's TrainingInputError,
 * matched by name so that TensorFlow.js is not loaded to check), an architecture string that is
 * malformed or missing from a table (UnscorableArchitectureError).
 * Callers (workers) fail such a job at once, with its message, instead of retrying it.
 */
export function isPermanentEvaluationError(error: unknown): error is Error {
  return (
    error instanceof DatasetUnavailableError ||
    error instanceof EvaluatorSpecError ||
    error instanceof UnscorableArchitectureError ||
    (error instanceof Error && error.name === "TrainingInputError")
  );
}
