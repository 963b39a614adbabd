import { createEvaluator, type Evaluator, type EvaluatorSpec } from "@nasvae/evaluators";

/**
 * One evaluator per distinct spec for the life of the process, so that e.g. the
 * NAS-Bench-201 table is loaded once, not once per job.
 */
export class EvaluatorCache {
  private readonly evaluators = new Map<string, Evaluator>();

  get(fingerprint: string, spec: EvaluatorSpec): Evaluator {
    let evaluator = this.evaluators.get(fingerprint);
    if (!evaluator) {
      evaluator = createEvaluator(spec);
      this.evaluators.set(fingerprint, evaluator);
    }
    return evaluator;
  }
}
