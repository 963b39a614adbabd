import { loadNasBench201Table, NasBench201TabularEvaluator } from "@nasvae/evaluators";
import {
  type AccuracyFlopsBounds,
  accuracyFlopsBounds,
  accuracyFlopsHypervolume,
  paretoFront2d,
  toMaximisedPoint,
} from "./hypervolume.ts";
import type { Score, ScoreFunction } from "./run-campaign.ts";

/**
 * Scores an architecture with the workers' own evaluator, NasBench201TabularEvaluator for
 * CIFAR-10: validation accuracy = cifar10_valid_acc (what the search sees), test accuracy =
 * cifar10_test_acc (reported only), FLOPs and params from the search space's networkCost.
 */
export function nb201Cifar10Score(): ScoreFunction {
  const evaluator = new NasBench201TabularEvaluator("cifar10");
  return async (archString: string): Promise<Score> => {
    const result = await evaluator.evaluate(archString);
    return {
      validationAccuracy: result.validationAccuracy,
      testAccuracy: result.testAccuracy,
      flops: result.flops,
      params: result.params,
    };
  };
}

/** What the search results are measured against, computed from the whole table. */
export interface Nb201Reference {
  tablePath: string;
  tableSha256: string;
  architectures: number;
  /** The architecture with the highest validation accuracy (first by arch_index on a tie). */
  optimum: Score & { archString: string; tiedOnValidation: number };
  /** The highest test accuracy of any architecture, for comparison with optimum.testAccuracy. */
  maxTestAccuracy: number;
  /** Table-wide ranges of validation accuracy and FLOPs, the normalisation of the hypervolume. */
  bounds: AccuracyFlopsBounds;
  /** Hypervolume of all architectures (= of the true front) in normalised units. */
  trueFrontHypervolume: number;
  /** Architectures on the true (validation accuracy ↑, FLOPs ↓) front. */
  trueFrontSize: number;
}

/** Scores every architecture of the table through `score` and derives the reference. */
export async function nb201Cifar10Reference(
  score: ScoreFunction = nb201Cifar10Score(),
): Promise<Nb201Reference> {
  const table = await loadNasBench201Table();
  const scored: (Score & { archString: string })[] = [];
  for (const row of table.rows) {
    scored.push({ archString: row.arch_str, ...(await score(row.arch_str)) });
  }
  let optimum = scored[0];
  if (!optimum) throw new Error(`NAS-Bench-201 table ${table.path} is empty`);
  for (const entry of scored) {
    if (entry.validationAccuracy > optimum.validationAccuracy) optimum = entry;
  }
  const best = optimum.validationAccuracy;
  const points = scored.map((entry) => ({
    accuracy: entry.validationAccuracy,
    flops: entry.flops,
  }));
  const bounds = accuracyFlopsBounds(points);
  return {
    tablePath: table.path,
    tableSha256: table.sha256,
    architectures: scored.length,
    optimum: {
      ...optimum,
      tiedOnValidation: scored.filter((entry) => entry.validationAccuracy === best).length,
    },
    maxTestAccuracy: Math.max(...scored.map((entry) => entry.testAccuracy)),
    bounds,
    trueFrontHypervolume: accuracyFlopsHypervolume(points, bounds),
    trueFrontSize: paretoFront2d(points.map((point) => toMaximisedPoint(point, bounds))).length,
  };
}
