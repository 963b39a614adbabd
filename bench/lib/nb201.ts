import type { Nb201Dataset } from "@nasvae/contracts";
import {
  loadNasBench201Table,
  loadNb201XValidTable,
  NasBench201TabularEvaluator,
  NB201_DATASET_INFO,
  nb201ColumnSource,
  nb201XValidTablePath,
} from "@nasvae/evaluators";
import { nasBench201SearchSpace } from "@nasvae/search-space";
import {
  type AccuracyFlopsBounds,
  accuracyFlopsBounds,
  accuracyFlopsHypervolume,
  paretoFront2d,
  toMaximisedPoint,
} from "./hypervolume.ts";
import { type ParetoReference, paretoReference } from "./pareto-metrics.ts";
import type { Score, ScoreFunction } from "./run-campaign.ts";

/** The bench's names of the NAS-Bench-201 datasets (`--dataset`), and the evaluator's. */
export const NB201_BENCH_DATASETS = {
  cifar10: "cifar10",
  cifar100: "cifar100",
  "imagenet16-120": "ImageNet16-120",
} as const satisfies Record<string, Nb201Dataset>;

export type Nb201BenchDataset = keyof typeof NB201_BENCH_DATASETS;

export function isNb201BenchDataset(value: string): value is Nb201BenchDataset {
  return Object.hasOwn(NB201_BENCH_DATASETS, value);
}

/**
 * Scores an architecture with the workers' own evaluator, NasBench201TabularEvaluator for the
 * dataset: validation accuracy (what the search sees) and test accuracy (reported only) from the
 * columns NB201_DATASET_INFO names for it, FLOPs and params from the search space's networkCost.
 */
export function nb201Score(dataset: Nb201Dataset): ScoreFunction {
  const evaluator = new NasBench201TabularEvaluator(dataset);
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

/** nb201Score("cifar10"): the bench's default scoring. */
export function nb201Cifar10Score(): ScoreFunction {
  return nb201Score("cifar10");
}

/** What the search results are measured against, computed from the whole table. */
export interface Nb201Reference {
  dataset: Nb201Dataset;
  tablePath: string;
  tableSha256: string;
  /** The x-valid table, for the datasets whose accuracies come from it (CIFAR-100, ImageNet16-120). */
  xValidTable?: { path: string; sha256: string };
  /** Where the dataset's validation and test accuracies come from (file and column). */
  validationSource: string;
  testSource: string;
  architectures: number;
  /** The architecture with the highest validation accuracy (first by arch_index on a tie). */
  optimum: Score & { archString: string; testAccuracy: number; tiedOnValidation: number };
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
export async function nb201Reference(
  dataset: Nb201Dataset,
  score: ScoreFunction = nb201Score(dataset),
): Promise<Nb201Reference> {
  const table = await loadNasBench201Table();
  const scored: (Score & { archString: string; testAccuracy: number })[] = [];
  for (const row of table.rows) {
    const result = await score(row.arch_str);
    const { testAccuracy } = result;
    if (testAccuracy === null) throw new Error(`no ${dataset} test accuracy for ${row.arch_str}`);
    scored.push({ archString: row.arch_str, ...result, testAccuracy });
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
  const xValid =
    NB201_DATASET_INFO[dataset].accuracyTable === "nb201_x_valid"
      ? await loadNb201XValidTable(nb201XValidTablePath(table.path))
      : undefined;
  return {
    dataset,
    tablePath: table.path,
    tableSha256: table.sha256,
    ...(xValid ? { xValidTable: { path: xValid.path, sha256: xValid.sha256 } } : {}),
    validationSource: nb201ColumnSource(dataset, "validation"),
    testSource: nb201ColumnSource(dataset, "test"),
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

/** nb201Reference("cifar10"). */
export function nb201Cifar10Reference(
  score: ScoreFunction = nb201Cifar10Score(),
): Promise<Nb201Reference> {
  return nb201Reference("cifar10", score);
}

/**
 * The true (validation accuracy ↑, FLOPs ↓) front of the dataset's table and its median cell,
 * for `--objective pareto`: every row scored through `score` (as the campaigns are), with its
 * isomorphism class (paretoReference says how duplicates and ties count).
 */
export async function nb201ParetoReference(
  dataset: Nb201Dataset,
  score: ScoreFunction = nb201Score(dataset),
): Promise<ParetoReference> {
  const table = await loadNasBench201Table();
  const rows = [];
  for (const row of table.rows) {
    const { validationAccuracy, flops } = await score(row.arch_str);
    const canonicalHash = nasBench201SearchSpace.canonicalHash(
      nasBench201SearchSpace.parse(row.arch_str),
    );
    rows.push({ canonicalHash, validationAccuracy, flops });
  }
  return paretoReference(rows);
}
