import { accuracyFlopsHypervolume } from "./hypervolume.ts";
import type { Nb201Reference } from "./nb201.ts";
import type { CampaignEvaluation } from "./run-campaign.ts";

/**
 * The architecture a campaign would report after its first `n` evaluations: the best by
 * validation accuracy (the search signal), ties broken as the API's `best` does (test accuracy,
 * where the table has one, then the earlier one). Undefined when there is no evaluation.
 */
export function reportedAfter(
  evaluations: readonly CampaignEvaluation[],
  n: number,
): CampaignEvaluation | undefined {
  let best: CampaignEvaluation | undefined;
  for (const evaluation of evaluations.slice(0, n)) {
    if (
      !best ||
      evaluation.validationAccuracy > best.validationAccuracy ||
      (evaluation.validationAccuracy === best.validationAccuracy &&
        (evaluation.testAccuracy ?? Number.NEGATIVE_INFINITY) >
          (best.testAccuracy ?? Number.NEGATIVE_INFINITY))
    ) {
      best = evaluation;
    }
  }
  return best;
}

/** HV(found front of the first n evaluations) / HV(true front), both in the table's normalisation. */
export function hypervolumeRatioAfter(
  evaluations: readonly CampaignEvaluation[],
  n: number,
  reference: Nb201Reference,
): number {
  const found = evaluations
    .slice(0, n)
    .map((evaluation) => ({ accuracy: evaluation.validationAccuracy, flops: evaluation.flops }));
  return accuracyFlopsHypervolume(found, reference.bounds) / reference.trueFrontHypervolume;
}

/** Reported accuracy reaches the optimum's test accuracy (with float slack). */
export function reachesOptimum(testAccuracy: number, reference: Nb201Reference): boolean {
  return testAccuracy >= reference.optimum.testAccuracy - 1e-9;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Sample standard deviation (n − 1); NaN below two values. */
export function sampleStd(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const m = mean(values);
  return Math.sqrt(values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (values.length - 1));
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

/** Standard error of the mean: sample std / sqrt(n); NaN below two values. */
export function standardError(values: readonly number[]): number {
  return sampleStd(values) / Math.sqrt(values.length);
}

/** Mean and its standard error, over `count` values. */
export interface MeanWithError {
  mean: number;
  standardError: number;
  count: number;
}

export function meanWithError(values: readonly number[]): MeanWithError {
  return { mean: mean(values), standardError: standardError(values), count: values.length };
}

/**
 * Paired difference a − b over the seeds both have (a seed is the pairing unit: same round-0
 * random cells, same rng streams): mean of the per-seed differences and its standard error.
 * Seeds only one side has (a failed run) are left out; `count` says how many pairs remain.
 */
export function pairedDifference(
  a: ReadonlyMap<number, number>,
  b: ReadonlyMap<number, number>,
): MeanWithError {
  const differences: number[] = [];
  for (const [seed, value] of a) {
    const other = b.get(seed);
    if (other !== undefined) differences.push(value - other);
  }
  return meanWithError(differences);
}
