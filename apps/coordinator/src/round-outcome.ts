import type { Round } from "@nasvae/db";

/** What a closed round says about the search, for metrics and the "round finished" log line. */
export interface RoundOutcome {
  durationSeconds: number;
  /** |predicted − measured| validation accuracy (points) of its evaluated, predicted trials. */
  predictionErrors: number[];
  /** Their mean; null when the round had no prediction (random, evolution, a model's first). */
  meanAbsoluteError: number | null;
}

/**
 * What a closed round (status completed, finishedAt set) says, from its prediction errors, which
 * closeRound returns with it.
 */
export function outcomeOf(
  round: Pick<Round, "createdAt" | "finishedAt">,
  predictionErrors: number[],
): RoundOutcome {
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
