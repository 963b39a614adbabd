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
  // One query (a join) rather than Prisma's two for the include.
  const trials = await db.$queryRaw<{ predicted: number; measured: number }[]>`
    SELECT t.predicted_accuracy AS "predicted", e.validation_accuracy AS "measured"
    FROM trials t JOIN evaluations e ON e.id = t.evaluation_id
    WHERE t.round_id = ${round.id}::uuid AND t.status = 'completed'
      AND t.predicted_accuracy IS NOT NULL`;
  const predictionErrors = trials.map((trial) => Math.abs(trial.predicted - trial.measured));
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
