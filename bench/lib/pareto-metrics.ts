/**
 * Pareto-mode metrics of the search benchmark (`bench/search.ts --objective pareto`): how much of
 * the true (validation accuracy ↑, FLOPs ↓) front of a table a run found, and the hypervolume of
 * what it found with the reference point at the table's median cell.
 */
import { hypervolume2d, type Point2 } from "./hypervolume.ts";
import { median } from "./search-metrics.ts";

/** One row of a table as the metrics see it: its isomorphism class and its two objectives. */
export interface ParetoRow {
  canonicalHash: string;
  validationAccuracy: number;
  flops: number;
}

/** A point of the true front, with the isomorphism classes of the rows that sit on it. */
export interface TrueFrontPoint {
  validationAccuracy: number;
  flops: number;
  /** Canonical hashes of every row with exactly this (accuracy, FLOPs); at least one. */
  classes: string[];
}

export interface ParetoReference {
  /** Rows and isomorphism classes the front was computed over. */
  rows: number;
  classes: number;
  /** The median cell: median validation accuracy and median FLOPs over the rows. */
  referencePoint: { validationAccuracy: number; flops: number };
  /** Non-dominated distinct (accuracy, FLOPs) positions over all rows, FLOPs ascending. */
  trueFront: TrueFrontPoint[];
  /** Hypervolume of the true front above the reference point (% × FLOPs). */
  trueFrontHypervolume: number;
  /** True-front points strictly better than the reference point in both objectives. */
  trueFrontAboveReference: number;
}

/** Accuracy ↑ and FLOPs ↓ as a point of the maximise-both space of hypervolume2d. */
function maximised(point: { validationAccuracy: number; flops: number }): Point2 {
  return [point.validationAccuracy, -point.flops];
}

/**
 * The true front of a table and the median reference point.
 *
 * The rule for duplicates and ties: the front is the set of distinct (accuracy, FLOPs) positions
 * no row dominates, over every row of the table. Isomorphic rows (same canonical hash) are kept
 * apart, as the table has them: they are separate training runs, with different accuracies, and
 * (NAS-Bench-201 counts the FLOPs of operations on edges that feed nothing) sometimes different
 * FLOPs. A position is on the front once, however many rows sit on it; `classes` lists the
 * isomorphism classes of those rows. See frontFractionAfter for what finding a point means.
 */
export function paretoReference(rows: readonly ParetoRow[]): ParetoReference {
  if (rows.length === 0) throw new Error("paretoReference needs at least one row");
  for (const row of rows) {
    if (!Number.isFinite(row.validationAccuracy) || !Number.isFinite(row.flops)) {
      throw new Error(`row ${row.canonicalHash} must have finite accuracy and FLOPs`);
    }
  }
  // FLOPs ascending, accuracy descending: a row is on the front iff it is more accurate than
  // every row before it, or ties the running best at the same FLOPs.
  const sorted = [...rows].sort(
    (a, b) => a.flops - b.flops || b.validationAccuracy - a.validationAccuracy,
  );
  const trueFront: TrueFrontPoint[] = [];
  let best = Number.NEGATIVE_INFINITY;
  for (const row of sorted) {
    const last = trueFront.at(-1);
    if (last && last.validationAccuracy === row.validationAccuracy && last.flops === row.flops) {
      if (!last.classes.includes(row.canonicalHash)) last.classes.push(row.canonicalHash);
    } else if (row.validationAccuracy > best) {
      trueFront.push({
        validationAccuracy: row.validationAccuracy,
        flops: row.flops,
        classes: [row.canonicalHash],
      });
      best = row.validationAccuracy;
    }
  }
  const referencePoint = {
    validationAccuracy: median(rows.map((row) => row.validationAccuracy)),
    flops: median(rows.map((row) => row.flops)),
  };
  return {
    rows: rows.length,
    classes: new Set(rows.map((row) => row.canonicalHash)).size,
    referencePoint,
    trueFront,
    trueFrontHypervolume: hypervolume2d(trueFront.map(maximised), maximised(referencePoint)),
    trueFrontAboveReference: trueFront.filter(
      (point) =>
        point.validationAccuracy > referencePoint.validationAccuracy &&
        point.flops < referencePoint.flops,
    ).length,
  };
}

/** What a run's evaluation contributes to these metrics. */
export interface ParetoEvaluation {
  canonicalHash: string;
  validationAccuracy: number;
  flops: number;
}

/**
 * Fraction of the true front's points found by the first n evaluations. A point is found when
 * one of its isomorphism classes was evaluated, by whichever architecture string: a campaign
 * never evaluates two members of a class (strategies propose one per canonical hash), and which
 * member it proposes decides only which training run of the same network the table returns.
 * Counting the exact row instead would make a point in a 60-member class (NAS-Bench-201 has
 * them on its front) a matter of luck for every strategy. Tied rows (the same position) share
 * one point: finding any of their classes finds it.
 */
export function frontFractionAfter(
  evaluations: readonly ParetoEvaluation[],
  n: number,
  reference: ParetoReference,
): number {
  const evaluated = new Set(evaluations.slice(0, n).map((evaluation) => evaluation.canonicalHash));
  const found = reference.trueFront.filter((point) =>
    point.classes.some((canonicalHash) => evaluated.has(canonicalHash)),
  ).length;
  return found / reference.trueFront.length;
}

/**
 * Hypervolume of the (validation accuracy, FLOPs) points the first n evaluations found, with the
 * reference point at the median cell, over that of the true front: in [0, 1], 0 when no
 * evaluation beats the median cell in both objectives. The points are the ones the run was
 * given (the rows of the strings it proposed), not the true front's.
 */
export function medianHypervolumeRatioAfter(
  evaluations: readonly ParetoEvaluation[],
  n: number,
  reference: ParetoReference,
): number {
  const found = hypervolume2d(
    evaluations.slice(0, n).map(maximised),
    maximised(reference.referencePoint),
  );
  return found / reference.trueFrontHypervolume;
}
