// What a worker lends a training evaluation (EvaluationContext): after every epoch the epoch is
// written to the learning curve, the job's progress is updated, a line is logged, and the run is
// told to stop if its campaign was cancelled meanwhile or the early-stopping rule finds it
// hopeless.

import type { Logger } from "@nasvae/config";
import type { MedianStoppingRule } from "@nasvae/contracts";
import {
  campaignStatus,
  type Database,
  findPeerValidationAccuracies,
  recordEpoch,
} from "@nasvae/db";
import type { EpochProgress, EvaluationCheckpoints, EvaluationContext } from "@nasvae/evaluators";
import { medianStoppingDecision } from "./early-stopping.ts";

/** What `job.updateProgress` is given after every epoch. */
export interface TrainingJobProgress {
  epoch: number;
  epochs: number;
  validationAccuracy: number;
}

export interface TrainingProgressOptions {
  db: Database;
  /** The job being evaluated (only its progress is updated). */
  job: { updateProgress(progress: TrainingJobProgress): Promise<void> };
  log: Logger;
  campaignId: string;
  architectureId: string;
  evaluatorFingerprint: string;
  /** Recorded with every epoch. */
  worker: string;
  /** The spec's rule; absent: no run is stopped early. */
  earlyStopping?: MedianStoppingRule;
  /** Where the run keeps its checkpoints (checkpoint-store.ts); absent: none. */
  checkpoints?: EvaluationCheckpoints;
}

export class TrainingProgress implements EvaluationContext {
  /** The epoch after which the run was stopped because its campaign was cancelled. */
  cancelledAfterEpoch: number | undefined;
  /** The epoch after which the early-stopping rule stopped the run. */
  stoppedAfterEpoch: number | undefined;
  /** The epoch after which the run resumed from a checkpoint (a re-delivered job). */
  resumedAfterEpoch: number | undefined;
  readonly checkpoints: EvaluationCheckpoints | undefined;
  private bestValidationAccuracy = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: TrainingProgressOptions) {
    const stored = options.checkpoints;
    // A resumed run's early-stopping rule compares the best epoch of the whole run, not just
    // of the epochs trained since the resume.
    this.checkpoints = stored && {
      ...stored,
      onResume: async (epoch, curve) => {
        this.resumedAfterEpoch = epoch;
        for (const point of curve) {
          this.bestValidationAccuracy = Math.max(
            this.bestValidationAccuracy,
            point.validationAccuracy,
          );
        }
        await stored.onResume?.(epoch, curve);
      },
    };
  }

  async onEpoch(progress: EpochProgress): Promise<"continue" | "stop"> {
    const { db, job, log, campaignId, architectureId, evaluatorFingerprint } = this.options;
    const { epoch, epochs, validationAccuracy } = progress;
    this.bestValidationAccuracy = Math.max(this.bestValidationAccuracy, validationAccuracy);
    await recordEpoch(db, {
      architectureId,
      evaluatorFingerprint,
      epoch,
      trainLoss: progress.trainLoss,
      trainAccuracy: progress.trainAccuracy,
      validationLoss: progress.validationLoss,
      validationAccuracy,
      learningRate: progress.learningRate,
      durationMs: progress.durationMs,
      worker: this.options.worker,
    });
    await job.updateProgress({ epoch, epochs, validationAccuracy });
    log.info(
      {
        epoch,
        epochs,
        trainLoss: progress.trainLoss,
        validationAccuracy,
        durationMs: Math.round(progress.durationMs),
      },
      "epoch finished",
    );
    if (epoch >= epochs) return "continue";
    if ((await campaignStatus(db, campaignId)) === "cancelled") {
      this.cancelledAfterEpoch = epoch;
      log.info({ epoch }, "campaign cancelled; training stopped");
      return "stop";
    }
    const rule = this.options.earlyStopping;
    if (!rule || epoch < rule.afterEpochs) return "continue";
    const peers = await findPeerValidationAccuracies(
      db,
      evaluatorFingerprint,
      epoch,
      architectureId,
    );
    const decision = medianStoppingDecision(
      rule,
      { epoch, epochs, bestValidationAccuracy: this.bestValidationAccuracy },
      peers,
    );
    if (!decision.stop) return "continue";
    this.stoppedAfterEpoch = epoch;
    log.info(
      {
        epoch,
        bestValidationAccuracy: this.bestValidationAccuracy,
        median: decision.median,
        peers: decision.peers,
      },
      "stopped early: below the median of its peers",
    );
    return "stop";
  }
}
