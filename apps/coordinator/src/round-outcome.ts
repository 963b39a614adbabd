import type { Database, Round } from "@nasvae/db";

/** What a closed round says about the search, for metrics and the "round finished" log line. */
export interface RoundOutcome {
  durationSeconds: number;
  /** |predicted − measured| validation accuracy (points) of its evaluated, predicted trials. */
  predictionErrors: number[];
  /** Their mean; null when the round had no prediction (random, evolution, a model's first). */
  meanAbsoluteError: number | null;
}

/** Measures a round that has just been closed (status completed, finishedAt set). */
export async function roundOutcome(db: Database, round: Round): Promise<RoundOutcome> {
  const trials = await db.trial.findMany({
    where: { roundId: round.id, status: "completed", predictedAccuracy: { not: null } },
    select: { predictedAccuracy: true, evaluation: { select: { validationAccuracy: true } } },
  });
  const predictionErrors = trials.flatMap((trial) =>
    trial.predictedAccuracy !== null && trial.evaluation
      ? [Math.abs(trial.predictedAccuracy - trial.evaluation.validationAccuracy)]
      : [],
  );
  const finishedAt = round.finishedAt ?? new Date();
  return {
    durationSeconds: Math.max(0, (finishedAt.getTime() - round.createdAt.getTime()) / 1000),
    predictionErrors,
    meanAbsoluteError:
      predictionErrors.length > 0
        ? predictionErrors.reduce((sum, error) => sum + error, 0) / predictionErrors.length
        : null,
  };
}
