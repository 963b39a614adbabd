/**
 * Thrown out of an evaluation whose campaign was cancelled while it trained: the run stopped at
 * an epoch boundary and its result is not recorded (the worker then skips the job like the
 * campaign gate does).
 */
export class TrainingCancelledError extends Error {
  override name = "TrainingCancelledError";

  constructor(readonly epoch: number) {
    super(`campaign cancelled; training stopped after epoch ${epoch}`);
  }
}
