/**
 * An architecture this evaluator can never score: not a string of its search space, or a cell
 * its table does not hold. Asking again cannot help, so it is a permanent evaluation error.
 */
export class UnscorableArchitectureError extends Error {
  override name = "UnscorableArchitectureError";
}
