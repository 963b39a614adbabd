/** What every evaluator returns for one architecture. Accuracies in percent. */
export interface EvaluationResult {
  /** What the search may see (NAS-Bench-201 protocol: optimise on validation). */
  validationAccuracy: number;
  /**
   * Reported at the end only, never used to steer the search. null where the evaluator has no
   * test figure (the enas-6-table evaluator: its table holds a validation proxy only).
   */
  testAccuracy: number | null;
  /** Multiply-accumulates of the evaluated network. */
  flops: number;
  params: number;
  /** Evaluator-specific extras (provenance, curves, timings); JSON-serialisable. */
  metrics?: Record<string, unknown>;
  /** Training evaluators: the run was ended early; the figures are its last epoch's. */
  stoppedEarly?: boolean;
  /** Training evaluators: epochs trained. */
  epochs?: number;
}

/** One finished training epoch, as a training evaluator reports it (accuracies in percent). */
export interface EpochProgress {
  /** 1-based. */
  epoch: number;
  epochs: number;
  trainLoss: number;
  trainAccuracy: number;
  validationLoss: number;
  validationAccuracy: number;
  learningRate: number;
  durationMs: number;
}

/**
 * What the caller (a worker) lends an evaluation: training evaluators report every epoch and
 * ask whether to go on; the worker records the epoch, updates the job's progress, and answers
 * "stop" for a cancelled campaign or a run its early-stopping rule finds hopeless. Tabular
 * evaluators ignore it.
 */
export interface EvaluationContext {
  onEpoch?(progress: EpochProgress): Promise<"continue" | "stop">;
  /** Where a training evaluator saves its state and resumes from; absent: no checkpoints. */
  checkpoints?: EvaluationCheckpoints;
}

/**
 * One evaluation's checkpoint storage (the worker keys it by trial and evaluator fingerprint).
 * A training evaluator loads it before its first epoch, resumes after the saved epoch when it
 * can, and saves its state every `every` epochs.
 */
export interface EvaluationCheckpoints {
  /** Epochs between saves; at least 1. */
  readonly every: number;
  load(): Promise<Uint8Array | undefined>;
  save(bytes: Uint8Array): Promise<void>;
  /** The run resumed after `epoch`, with the curve it had reported up to there. */
  onResume?(epoch: number, curve: readonly EpochProgress[]): void | Promise<void>;
  /** The saved checkpoint could not be used (another network or recipe, or corrupt). */
  onDiscard?(reason: string): void | Promise<void>;
}

/**
 * The one thing callers (workers) need: evaluate an architecture string. Tabular lookups
 * and real training both fit behind it, so adding a kind does not change callers.
 */
export interface Evaluator {
  evaluate(archString: string, context?: EvaluationContext): Promise<EvaluationResult>;
  /** Cache key of this evaluator's results; see evaluatorFingerprint. */
  fingerprint(): Promise<string>;
}
