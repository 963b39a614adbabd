// Median stopping of hopeless training runs (docs/training.md): a run is compared with the
// other runs of the same evaluator (same fingerprint) at the same epoch, from the learning
// curves in Postgres.

/** What the rule decided after one epoch, and why (logged). */
export interface StoppingDecision {
  stop: boolean;
  /** Median validation accuracy of the peers at this epoch; null when the rule did not look. */
  median: number | null;
  /** Other runs that reached this epoch. */
  peers: number;
}

/**
 * The median rule on numbers: after `afterEpochs` epochs (and before the last one, which ends
 * the run anyway), stop when the run's best validation accuracy so far is below the median of
 * what its peers reached at this epoch, provided at least `minPeers` peers did.
 */
export function medianStoppingDecision(
  rule: MedianStoppingRule,
  run: { epoch: number; epochs: number; bestValidationAccuracy: number },
  peerAccuracies: readonly number[],
): StoppingDecision {
  const peers = peerAccuracies.length;
  if (run.epoch < rule.afterEpochs || run.epoch >= run.epochs || peers < rule.minPeers) {
    return { stop: false, median: null, peers };
  }
  const middle = median(peerAccuracies);
  return { stop: run.bestValidationAccuracy < middle, median: middle, peers };
}

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

import type { MedianStoppingRule } from "@nasvae/contracts";
