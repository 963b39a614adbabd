/**
 * Two-objective hypervolume, for the FLOPs-aware part of the search benchmark.
 *
 * The general functions take points whose two objectives are both maximised; the
 * accuracy/FLOPs helpers map (accuracy ↑, FLOPs ↓) onto that by normalising both to [0, 1]
 * and flipping FLOPs.
 */

/** A point of a 2-D objective space in which both objectives are maximised. */
export type Point2 = readonly [number, number];

function checkFinite(point: Point2, what: string): void {
  if (!Number.isFinite(point[0]) || !Number.isFinite(point[1])) {
    throw new Error(`${what} must be finite, got [${point[0]}, ${point[1]}]`);
  }
}

/**
 * The points no other point dominates (both objectives maximised), each position once, sorted
 * by the first objective descending (so the second ascends).
 */
export function paretoFront2d(points: readonly Point2[]): Point2[] {
  for (const point of points) checkFinite(point, "point");
  const sorted = [...points].sort((a, b) => b[0] - a[0] || b[1] - a[1]);
  const front: Point2[] = [];
  let bestY = Number.NEGATIVE_INFINITY;
  for (const point of sorted) {
    if (point[1] > bestY) {
      front.push(point);
      bestY = point[1];
    }
  }
  return front;
}

/**
 * Area of the region dominated by `points` and dominating `reference` (both objectives
 * maximised). Points that are not strictly better than the reference in both objectives add
 * nothing; dominated and repeated points add nothing. O(n log n).
 */
export function hypervolume2d(points: readonly Point2[], reference: Point2): number {
  checkFinite(reference, "reference");
  const [rx, ry] = reference;
  let area = 0;
  let bestY = ry;
  // Sweep from the largest first objective down: each point adds the strip it raises.
  for (const [x, y] of paretoFront2d(points)) {
    if (x <= rx) break;
    if (y > bestY) {
      area += (x - rx) * (y - bestY);
      bestY = y;
    }
  }
  return area;
}

/** The ranges accuracy and FLOPs are normalised by (those of the whole table). */
export interface AccuracyFlopsBounds {
  accuracyMin: number;
  accuracyMax: number;
  flopsMin: number;
  flopsMax: number;
}

export interface AccuracyFlops {
  /** Maximised. */
  accuracy: number;
  /** Minimised. */
  flops: number;
}

/** The bounds of a set of points (e.g. every row of the table). */
export function accuracyFlopsBounds(points: Iterable<AccuracyFlops>): AccuracyFlopsBounds {
  const bounds = {
    accuracyMin: Number.POSITIVE_INFINITY,
    accuracyMax: Number.NEGATIVE_INFINITY,
    flopsMin: Number.POSITIVE_INFINITY,
    flopsMax: Number.NEGATIVE_INFINITY,
  };
  for (const { accuracy, flops } of points) {
    bounds.accuracyMin = Math.min(bounds.accuracyMin, accuracy);
    bounds.accuracyMax = Math.max(bounds.accuracyMax, accuracy);
    bounds.flopsMin = Math.min(bounds.flopsMin, flops);
    bounds.flopsMax = Math.max(bounds.flopsMax, flops);
  }
  if (!(bounds.accuracyMax > bounds.accuracyMin) || !(bounds.flopsMax > bounds.flopsMin)) {
    throw new Error("accuracyFlopsBounds needs points spanning a non-empty range of both");
  }
  return bounds;
}

/**
 * Maps (accuracy ↑, FLOPs ↓) to a point of the maximise-both space: normalised accuracy
 * (accuracy − min) / (max − min), and 1 − normalised FLOPs. The reference point (normalised
 * accuracy 0, normalised FLOPs 1) is then [0, 0].
 */
export function toMaximisedPoint(point: AccuracyFlops, bounds: AccuracyFlopsBounds): Point2 {
  return [
    (point.accuracy - bounds.accuracyMin) / (bounds.accuracyMax - bounds.accuracyMin),
    1 - (point.flops - bounds.flopsMin) / (bounds.flopsMax - bounds.flopsMin),
  ];
}

/**
 * Hypervolume of (accuracy ↑, FLOPs ↓) points in normalised units, with the reference point at
 * normalised accuracy 0 and normalised FLOPs 1. At most 1 (a single point with the best
 * accuracy and the fewest FLOPs of the bounds).
 */
export function accuracyFlopsHypervolume(
  points: Iterable<AccuracyFlops>,
  bounds: AccuracyFlopsBounds,
): number {
  const mapped = Array.from(points, (point) => toMaximisedPoint(point, bounds));
  return hypervolume2d(mapped, [0, 0]);
}
