import { EVOLUTION_DEFAULTS } from "@nasvae/contracts";
import type { Random } from "@nasvae/search-space";
import type {
  AnySearchSpace,
  Observation,
  Proposal,
  ProposeRequest,
  Strategy,
} from "./strategy.ts";
import { breedUnseen, sampleUnseen } from "./unseen-sampler.ts";

export interface EvolutionOptions {
  /**
   * P, how many of the most recent completed evaluations form the population (default 20).
   * Until P results are in, the strategy proposes uniform random architectures, so P is also
   * the random warm-up. Real et al. use P = 100 for budgets of thousands; with the 100-150
   * evaluations a campaign here typically has, 20 keeps the warm-up to the first ~15% of the
   * budget and leaves 100+ evaluations of evolution, i.e. several turnovers of the population
   * (at 10 per round, each round replaces half of it), so that aging actually applies.
   */
  readonly populationSize?: number;
  /**
   * S, tournament size (default 5): a parent is the best of S members drawn uniformly with
   * replacement. S/P = 1/4, the selection pressure of the paper (S = 25 of P = 100): enough to
   * favour good parents, not so much that the population collapses onto the current best.
   */
  readonly sampleSize?: number;
}

function checkOption(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `evolution ${name} must be an integer in [${min}, ${max}], got ${String(value)}`,
    );
  }
  return value;
}

type Member = Observation & { validationAccuracy: number };

/**
 * Regularised evolution (REA; Real et al. 2019, "Regularized Evolution for Image Classifier
 * Architecture Search"), driven by the campaign history rather than a loop of its own:
 *  - population: the last P completed observations in history (proposal) order, so the oldest
 *    die first (aging), whatever their accuracy. Pending and failed ones are not members.
 *  - while fewer than P results are in: uniform random unseen architectures (as RandomStrategy).
 *  - otherwise each candidate is a mutation of a tournament winner: S members drawn uniformly
 *    with replacement, the parent is the one with the highest validation accuracy (the first
 *    drawn on ties), the child is `space.mutate(parent)`.
 *    If the child's class was seen (history or this round), mutate the same parent again (up to
 *    5 tries), then take a random unseen one of the parent's neighbours (`space.neighbours`),
 *    then hold a fresh tournament (up to 5), and last take a random unseen architecture, so the
 *    round is filled whenever anything unseen is left.
 * Batched variant: a round's results arrive together, so every child of a round is bred from the
 * same population, and the population moves on by a whole round at a time (the paper's REA is
 * the special case of rounds of one). Deterministic given the request's rng.
 */
export class EvolutionStrategy implements Strategy {
  readonly kind = "evolution";
  readonly populationSize: number;
  readonly sampleSize: number;

  constructor(
    private readonly space: AnySearchSpace,
    options: EvolutionOptions = {},
  ) {
    this.populationSize = checkOption(
      "populationSize",
      options.populationSize ?? EVOLUTION_DEFAULTS.populationSize,
      2,
      1000,
    );
    this.sampleSize = checkOption(
      "sampleSize",
      options.sampleSize ?? EVOLUTION_DEFAULTS.sampleSize,
      1,
      1000,
    );
  }

  async propose({ count, history, rng }: ProposeRequest): Promise<Proposal> {
    const seen = new Set(history.map((observation) => observation.canonicalHash));
    const population = history
      .filter(
        (o): o is Member => o.status === "completed" && typeof o.validationAccuracy === "number",
      )
      .slice(-this.populationSize);

    if (population.length < this.populationSize) {
      const candidates = sampleUnseen(this.space, seen, count, rng);
      return {
        candidates,
        info: { phase: "random", population: population.length, random: candidates.length },
      };
    }

    const { candidates, mutated, random } = breedUnseen(
      this.space,
      seen,
      count,
      rng,
      () => this.tournament(population, rng).archString,
    );
    return {
      candidates,
      info: { phase: "evolution", population: population.length, mutated, random },
    };
  }

  /** Best of `sampleSize` members drawn uniformly with replacement; first drawn wins ties. */
  private tournament(population: readonly Member[], rng: Random): Member {
    let best: Member | undefined;
    for (let s = 0; s < this.sampleSize; s++) {
      const member = population[rng.int(population.length)];
      if (member && (!best || member.validationAccuracy > best.validationAccuracy)) best = member;
    }
    if (!best) throw new Error("evolution tournament on an empty population");
    return best;
  }
}
