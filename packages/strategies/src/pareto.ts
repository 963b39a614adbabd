/**
 * Two-objective Pareto helpers for strategies: accuracy maximised, FLOPs minimised. FLOPs may be
 * on any increasing scale (the graph-VAE strategy uses log-FLOPs).
 */
export interface AccuracyFlopsPoint {
  readonly accuracy: number;
  readonly flops: number;
}

/** a dominates b: no worse in both objectives, strictly better in at least one. */
export function dominates(a: AccuracyFlopsPoint, b: AccuracyFlopsPoint): boolean {
  return (
    a.accuracy >= b.accuracy && a.flops <= b.flops && (a.accuracy > b.accuracy || a.flops < b.flops)
  );
}

/** The points no other point dominates, by increasing FLOPs (ties of both: the first kept). */
export function nonDominated<T extends AccuracyFlopsPoint>(points: readonly T[]): T[] {
  const sorted = [...points].sort((a, b) => a.flops - b.flops || b.accuracy - a.accuracy);
  const front: T[] = [];
  let best = Number.NEGATIVE_INFINITY;
  for (const point of sorted) {
    if (point.accuracy > best) {
      front.push(point);
      best = point.accuracy;
    }
  }
  return front;
}

/**
 * Area dominated by the points and bounded by the reference point (an accuracy below and FLOPs
 * above every point that counts; points beyond it add nothing).
 */
export function hypervolume(
  points: readonly AccuracyFlopsPoint[],
  reference: AccuracyFlopsPoint,
): number {
  const front = nonDominated(
    points.filter((p) => p.accuracy > reference.accuracy && p.flops < reference.flops),
  );
  let area = 0;
  // By increasing FLOPs, accuracy increases along the front: each point adds the strip between
  // its FLOPs and the next point's, up to its own accuracy.
  front.forEach((point, i) => {
    const nextFlops = front[i + 1]?.flops ?? reference.flops;
    area += (nextFlops - point.flops) * (point.accuracy - reference.accuracy);
  });
  return area;
}

/**
 * Greedy hypervolume choice: up to `count` candidates (indices into `candidates`), each the one
 * that adds the most hypervolume to `front` plus those already chosen. Stops early when no
 * candidate adds any (all dominated, or beyond the reference).
 */
export function chooseByHypervolumeGain(
  front: readonly AccuracyFlopsPoint[],
  candidates: readonly AccuracyFlopsPoint[],
  count: number,
  reference: AccuracyFlopsPoint,
): number[] {
  const current = [...front];
  const chosen: number[] = [];
  const remaining = new Set(candidates.keys());
  while (chosen.length < count && remaining.size > 0) {
    const base = hypervolume(current, reference);
    let best = -1;
    let bestGain = 0;
    for (const i of remaining) {
      const gain = hypervolume([...current, candidates[i] as AccuracyFlopsPoint], reference) - base;
      if (gain > bestGain) {
        bestGain = gain;
        best = i;
      }
    }
    if (best < 0) break;
    chosen.push(best);
    current.push(candidates[best] as AccuracyFlopsPoint);
    remaining.delete(best);
  }
  return chosen;
}
