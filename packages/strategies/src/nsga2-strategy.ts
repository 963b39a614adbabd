import { NSGA2_DEFAULTS } from "@nasvae/contracts";
import type { Random } from "@nasvae/search-space";
import { type AccuracyFlopsPoint, dominates } from "./pareto.ts";
import type {
  AnySearchSpace,
  Observation,
  Proposal,
  ProposeRequest,
  Strategy,
} from "./strategy.ts";
import { breedUnseen, sampleUnseen } from "./unseen-sampler.ts";

export interface Nsga2Options {
  /**
   * N, how many of the completed evaluations survive as the population parents are drawn from
   * (default 20). The whole completed history competes for these places every round (NSGA-II's
   * elitist (N + offspring) selection), so N decides how far behind the first front a parent
   * may come from, and how soon selection starts (the first N results are all kept). Measured on
   * NAS-Bench-201 CIFAR-10 (bench/search.ts --objective pareto, 30 seeds, budget 150, rounds of
   * 10; bench/README.md): N = 10 and 20 find 0.30 and 0.27 of the true front and the same
   * median-reference hypervolume (0.73), N = 50 and 100 only 0.21 and 0.19 (0.66, 0.57): with
   * 100-200 evaluations a large population spends most of the budget before selecting anything.
   * 20, like evolution's P, is the smaller population's result without a population of a
   * single round's size. Tuned on CIFAR-10 only.
   */
  readonly populationSize?: number;
}

/**
 * Non-dominated sorting (Deb et al. 2002): front 0 holds the points no point dominates, front k
 * those dominated only by points of fronts < k. Returns the fronts as indices into `points`,
 * each in ascending index order. Identical points never dominate each other, so they share a
 * front. For two objectives this is the O(n log n + n·fronts) sweep: in order of FLOPs
 * (ascending, ties by accuracy descending) every point that could dominate a point comes before
 * it, and a point joins the first front none of whose members dominates it. A front's members,
 * in that order, rise in accuracy, so its latest member is the one to compare with.
 */
export function nonDominatedSort(points: readonly AccuracyFlopsPoint[]): number[][] {
  for (const [i, point] of points.entries()) {
    if (!Number.isFinite(point.accuracy) || !Number.isFinite(point.flops)) {
      throw new Error(`point ${i} must have finite accuracy and FLOPs`);
    }
  }
  const order = points
    .map((_, i) => i)
    .sort((i, j) => {
      const a = points[i] as AccuracyFlopsPoint;
      const b = points[j] as AccuracyFlopsPoint;
      return a.flops - b.flops || b.accuracy - a.accuracy || i - j;
    });
  const fronts: number[][] = [];
  /** The latest (most accurate) member of each front. */
  const last: AccuracyFlopsPoint[] = [];
  for (const i of order) {
    const point = points[i] as AccuracyFlopsPoint;
    let k = 0;
    while (k < fronts.length && dominates(last[k] as AccuracyFlopsPoint, point)) k += 1;
    if (k === fronts.length) fronts.push([]);
    fronts[k]?.push(i);
    last[k] = point;
  }
  for (const front of fronts) front.sort((i, j) => i - j);
  return fronts;
}

/**
 * Crowding distance (Deb et al. 2002) of each member of one front, in the order of `front`
 * (indices into `points`): for each objective, the members sorted by it (ties by index), the
 * two ends get Infinity and every other member adds the gap between its two sorted neighbours
 * over the objective's range in the front. An objective with no range adds nothing. Fronts of
 * one or two members are all ends.
 */
export function crowdingDistances(
  points: readonly AccuracyFlopsPoint[],
  front: readonly number[],
): number[] {
  const distance = new Map<number, number>(front.map((i) => [i, 0]));
  for (const objective of ["accuracy", "flops"] as const) {
    const value = (i: number) => (points[i] as AccuracyFlopsPoint)[objective];
    const sorted = [...front].sort((i, j) => value(i) - value(j) || i - j);
    const first = sorted[0];
    const end = sorted.at(-1);
    if (first === undefined || end === undefined) continue;
    distance.set(first, Number.POSITIVE_INFINITY);
    distance.set(end, Number.POSITIVE_INFINITY);
    const range = value(end) - value(first);
    if (range <= 0) continue;
    for (let s = 1; s < sorted.length - 1; s++) {
      const i = sorted[s] as number;
      const gap = value(sorted[s + 1] as number) - value(sorted[s - 1] as number);
      distance.set(i, (distance.get(i) ?? 0) + gap / range);
    }
  }
  return front.map((i) => distance.get(i) ?? 0);
}

/** A population member: its observation, non-domination rank (0 = first front) and crowding. */
export interface RankedMember {
  observation: Observation & { validationAccuracy: number; flops: number };
  rank: number;
  crowding: number;
}

/**
 * NSGA-II's survivor selection: the best `size` of `members` by non-domination rank, the last
 * front that does not fit whole cut by crowding distance (largest first; ties: earlier in
 * `members` first). Crowding is computed over each whole front, as in the paper. Returns the
 * survivors in `members` order.
 */
export function selectPopulation(
  members: readonly (Observation & { validationAccuracy: number; flops: number })[],
  size: number,
): RankedMember[] {
  const points = members.map((m) => ({ accuracy: m.validationAccuracy, flops: m.flops }));
  const chosen: { index: number; rank: number; crowding: number }[] = [];
  for (const [rank, front] of nonDominatedSort(points).entries()) {
    if (chosen.length >= size) break;
    const crowding = crowdingDistances(points, front);
    const ranked = front.map((index, f) => ({ index, rank, crowding: crowding[f] as number }));
    if (chosen.length + ranked.length > size) {
      ranked.sort((a, b) => b.crowding - a.crowding || a.index - b.index);
      ranked.length = size - chosen.length;
    }
    chosen.push(...ranked);
  }
  return chosen
    .sort((a, b) => a.index - b.index)
    .map(({ index, rank, crowding }) => ({
      observation: members[index] as RankedMember["observation"],
      rank,
      crowding,
    }));
}

/** NSGA-II's crowded comparison: lower rank wins, then larger crowding distance. */
function crowdedBetter(a: RankedMember, b: RankedMember): boolean {
  return a.rank < b.rank || (a.rank === b.rank && a.crowding > b.crowding);
}

/**
 * NSGA-II (Deb, Pratap, Agarwal, Meyarivan 2002, "A Fast and Elitist Multiobjective Genetic
 * Algorithm: NSGA-II") on two objectives, validation accuracy ↑ and FLOPs ↓, driven by the
 * campaign history rather than a loop of its own:
 *  - round 0 (nothing completed with both objectives): uniform random unseen architectures.
 *  - population: every completed observation with a validation accuracy and FLOPs competes
 *    (parents and offspring of all earlier rounds together: the paper's elitist selection),
 *    ranked by non-dominated sorting and crowding distance; the best N survive
 *    (`selectPopulation`). Pending and failed ones are not members.
 *  - each candidate is `space.mutate(parent)` of a binary-tournament winner: two distinct
 *    members drawn uniformly, the crowded comparison picks (lower rank, then larger crowding;
 *    the first drawn on a full tie). No crossover: the search-space interface has none, and
 *    one-edit mutation is how the other evolutionary strategy here varies cells too.
 *    A child whose class was seen (history or this round) is mutated again from the same parent
 *    (up to 5 tries), then replaced by a random unseen neighbour of the parent, then a fresh
 *    tournament is held (up to 5), and last a random unseen architecture is taken, so the round
 *    is filled whenever anything unseen is left.
 * Batched: all of a round's children come from the same population. Deterministic given the
 * request's rng.
 */
export class Nsga2Strategy implements Strategy {
  readonly kind = "nsga2";
  readonly populationSize: number;

  constructor(
    private readonly space: AnySearchSpace,
    options: Nsga2Options = {},
  ) {
    const size = options.populationSize ?? NSGA2_DEFAULTS.populationSize;
    if (!Number.isInteger(size) || size < 2 || size > 10000) {
      throw new Error(`nsga2 populationSize must be an integer in [2, 10000], got ${String(size)}`);
    }
    this.populationSize = size;
  }

  async propose({ count, history, rng }: ProposeRequest): Promise<Proposal> {
    const seen = new Set(history.map((observation) => observation.canonicalHash));
    const completed = history.filter(
      (o): o is RankedMember["observation"] =>
        o.status === "completed" &&
        typeof o.validationAccuracy === "number" &&
        Number.isFinite(o.validationAccuracy) &&
        typeof o.flops === "number" &&
        Number.isFinite(o.flops),
    );
    if (completed.length === 0) {
      const candidates = sampleUnseen(this.space, seen, count, rng);
      return { candidates, info: { phase: "random", population: 0, random: candidates.length } };
    }

    const population = selectPopulation(completed, this.populationSize);
    const { candidates, mutated, random } = breedUnseen(
      this.space,
      seen,
      count,
      rng,
      () => this.tournament(population, rng).observation.archString,
    );
    return {
      candidates,
      info: {
        phase: "nsga2",
        population: population.length,
        firstFront: population.filter((member) => member.rank === 0).length,
        fronts: new Set(population.map((member) => member.rank)).size,
        mutated,
        random,
      },
    };
  }

  /** Binary tournament by the crowded comparison; two distinct members when there are two. */
  private tournament(population: readonly RankedMember[], rng: Random): RankedMember {
    const n = population.length;
    const i = rng.int(n);
    const first = population[i];
    if (!first) throw new Error("nsga2 tournament on an empty population");
    if (n === 1) return first;
    const j = (i + 1 + rng.int(n - 1)) % n;
    const second = population[j] as RankedMember;
    return crowdedBetter(second, first) ? second : first;
  }
}
