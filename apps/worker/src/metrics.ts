import { isDatabaseUnavailable } from "@nasvae/db";
import { createRegistry, Gauge, Histogram, type Registry } from "@nasvae/metrics";

/** How an evaluate job ended: computed and recorded, answered by an existing result, or threw. */
export type EvaluationOutcome = "completed" | "cached" | "failed";

/** Labels of an evaluation; "unknown" while (or when) the payload does not validate. */
export interface EvaluationLabels {
  evaluator: string;
  dataset: string;
}

/**
 * What only a worker sees: how long evaluations take and how many run now. Served by the
 * worker's own metrics server (METRICS_PORT); Prometheus adds the instance label.
 */
export class WorkerMetrics {
  readonly evaluationDuration: Histogram<"evaluator" | "dataset" | "outcome">;
  readonly evaluationsInProgress: Gauge;

  constructor(readonly registry: Registry = createRegistry({ defaultMetrics: false })) {
    this.evaluationDuration = new Histogram({
      name: "nasvae_evaluation_duration_seconds",
      help: "Evaluate jobs by outcome (completed, cached, failed), from taking the job to its result recorded; one observation per attempt.",
      labelNames: ["evaluator", "dataset", "outcome"],
      // From a table lookup (milliseconds) to training a child network (hours).
      buckets: [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800,
        3600, 7200, 14_400,
      ],
      registers: [registry],
    });
    this.evaluationsInProgress = new Gauge({
      name: "nasvae_evaluations_in_progress",
      help: "Evaluate jobs this worker process is running now.",
      registers: [registry],
    });
  }

  /**
   * Runs one evaluate job under the in-progress gauge and the duration histogram. `labels` is
   * read when the job ends, so the caller can fill it in once the payload has been validated.
   */
  async measure<Result extends { cached: boolean } | undefined>(
    labels: EvaluationLabels,
    run: () => Promise<Result>,
  ): Promise<Result> {
    const started = performance.now();
    this.evaluationsInProgress.inc();
    let outcome: EvaluationOutcome = "failed";
    // A run that ended with Postgres unreachable is run again in place (database-outage.ts):
    // only the run that ends the job is observed. So is a run that resolves to undefined (it did
    // not end the job: a lookup whose record the gate refused, handled as any other job next).
    let observed = true;
    try {
      const result = await run();
      if (result === undefined) observed = false;
      else outcome = result.cached ? "cached" : "completed";
      return result;
    } catch (error) {
      observed = !isDatabaseUnavailable(error);
      throw error;
    } finally {
      this.evaluationsInProgress.dec();
      if (observed) {
        this.evaluationDuration.observe(
          { ...labels, outcome },
          (performance.now() - started) / 1000,
        );
      }
    }
  }
}
