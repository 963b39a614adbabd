import type { ReconcileReport } from "@nasvae/jobs";
import { Counter, createRegistry, Gauge, Histogram, type Registry } from "@nasvae/metrics";
import type { RoundOutcome } from "./round-outcome.ts";

/**
 * What only the coordinator sees: how long rounds and proposals take and how far the strategy's
 * predictions were from the measured accuracies. Labelled by strategy kind, never by campaign,
 * so the series stay few. Served by the coordinator's own metrics server (METRICS_PORT).
 */
export class CoordinatorMetrics {
  readonly roundDuration: Histogram<"strategy">;
  readonly proposeDuration: Histogram<"strategy">;
  readonly trainingDuration: Histogram<"strategy">;
  readonly predictorError: Histogram<"strategy">;
  readonly predictorMeanError: Gauge<"strategy">;
  readonly campaignsFinished: Counter<"status">;
  readonly reconcilerRepairs: Counter<"kind">;
  readonly reconcilerDeferred: Counter;
  readonly reconcilerPassDuration: Histogram;
  readonly reconcilerCampaigns: Gauge;

  constructor(readonly registry: Registry = createRegistry({ defaultMetrics: false })) {
    const registers = [registry];
    this.roundDuration = new Histogram({
      name: "nasvae_round_duration_seconds",
      help: "Closed rounds: wall time from the round written (candidates proposed) to its close, when its last evaluation is in.",
      labelNames: ["strategy"],
      buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14_400, 43_200, 86_400],
      registers,
    });
    this.proposeDuration = new Histogram({
      name: "nasvae_round_propose_duration_seconds",
      help: "Time the strategy took to propose a round's candidates (model training included).",
      labelNames: ["strategy"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers,
    });
    this.trainingDuration = new Histogram({
      name: "nasvae_model_training_duration_seconds",
      help: "Time a model-based strategy spent training its model for a round, as it reports it.",
      labelNames: ["strategy"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers,
    });
    this.predictorError = new Histogram({
      name: "nasvae_predictor_absolute_error_points",
      help: "|predicted - measured| validation accuracy, in percentage points, of each evaluated trial that had a prediction; observed when its round closes.",
      labelNames: ["strategy"],
      buckets: [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 50],
      registers,
    });
    this.predictorMeanError = new Gauge({
      name: "nasvae_predictor_last_round_mean_absolute_error_points",
      help: "Mean absolute error (percentage points) of the predicted validation accuracies of the last closed round with predictions.",
      labelNames: ["strategy"],
      registers,
    });
    this.campaignsFinished = new Counter({
      name: "nasvae_campaigns_finished_total",
      help: "Campaigns this coordinator ended, by final status (completed, failed).",
      labelNames: ["status"],
      registers,
    });
    this.reconcilerRepairs = new Counter({
      name: "nasvae_reconciler_repairs_total",
      help: "Jobs the reconciler put back into Redis because Postgres still waited for them, by kind: campaign (start job), round (a round job or a round's whole flow), evaluate (evaluate jobs), retry (a job that had failed for good, retried).",
      labelNames: ["kind"],
      registers,
    });
    this.reconcilerDeferred = new Counter({
      name: "nasvae_reconciler_deferred_total",
      help: "Campaigns a reconcile pass left for the next one: busy in this process, changed under the pass, or a repair not yet confirmed.",
      registers,
    });
    this.reconcilerPassDuration = new Histogram({
      name: "nasvae_reconciler_pass_duration_seconds",
      help: "Wall time of one reconcile pass over every queued and running campaign.",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.reconcilerCampaigns = new Gauge({
      name: "nasvae_reconciler_last_pass_campaigns",
      help: "Campaigns (queued or running) the last reconcile pass looked at.",
      registers,
    });
  }

  /** A reconcile pass has ended: what it repaired, what it deferred, how long it took. */
  observeReconcile(report: ReconcileReport, seconds: number): void {
    const repairs = { ...report.added, retry: report.retried };
    for (const [kind, count] of Object.entries(repairs)) {
      // Every kind appears from the first pass on, at 0 until a repair.
      this.reconcilerRepairs.inc({ kind }, count);
    }
    this.reconcilerDeferred.inc(report.deferred);
    this.reconcilerPassDuration.observe(seconds);
    this.reconcilerCampaigns.set(report.campaigns);
  }

  /** A round has closed: its duration, and its predictor error if it had predictions. */
  observeRound(strategy: string, outcome: RoundOutcome): void {
    this.roundDuration.observe({ strategy }, outcome.durationSeconds);
    for (const error of outcome.predictionErrors) this.predictorError.observe({ strategy }, error);
    if (outcome.meanAbsoluteError !== null) {
      this.predictorMeanError.set({ strategy }, outcome.meanAbsoluteError);
    }
  }

  /** A strategy has proposed a round; `info` is what it reported (trainMs if it trained). */
  observeProposal(strategy: string, seconds: number, info: Record<string, unknown> = {}): void {
    this.proposeDuration.observe({ strategy }, seconds);
    if (typeof info.trainMs === "number") {
      this.trainingDuration.observe({ strategy }, info.trainMs / 1000);
    }
  }
}
