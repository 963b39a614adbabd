/** What every evaluator returns for one architecture. Accuracies in percent. */
export interface EvaluationResult {
  /** What the search may see (NAS-Bench-201 protocol: optimise on validation). */
  validationAccuracy: number;
  /** Reported at the end only, never used to steer the search. */
  testAccuracy: number;
  /** Multiply-accumulates of the evaluated network. */
  flops: number;
  params: number;
  /** Evaluator-specific extras (provenance, curves, timings); JSON-serialisable. */
  metrics?: Record<string, unknown>;
}

/**
 * The one thing callers (workers) need: evaluate an architecture string. Tabular lookups
 * and real training both fit behind it, so adding a kind does not change callers.
 */
export interface Evaluator {
  evaluate(archString: string): Promise<EvaluationResult>;
  /** Cache key of this evaluator's results; see evaluatorFingerprint. */
  fingerprint(): Promise<string>;
}
