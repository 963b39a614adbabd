/** An evaluator spec that cannot be used; the message says what is wrong. */
export class EvaluatorSpecError extends Error {
  override name = "EvaluatorSpecError";
}
