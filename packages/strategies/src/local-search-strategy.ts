import type { Random } from "@nasvae/search-space";
import type {
  AnySearchSpace,
  Candidate,
  Observation,
  Proposal,
  ProposeRequest,
  Strategy,
} from "./strategy.ts";
import { sampleUnseen, takeUnseen } from "./unseen-sampler.ts";

type Scored = Observation & { validationAccuracy: number };

/** In-place Fisher-Yates shuffle driven by `rng`, so the order is reproducible. */
function shuffle<T>(items: T[], rng: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const a = items[i] as T;
    items[i] = items[j] as T;
    items[j] = a;
  }
  return items;
}

/**
 * Model-free local search (White, Nolen, Zela, Hutter 2020, "Local Search is State of the Art for
 * Neural Architecture Search Benchmarks"), batched and driven by the campaign history:
 *  - while nothing has completed (round 0): uniform random unseen architectures.
 *  - otherwise the unseen neighbours (`space.neighbours`) of the best completed cell so far, in
 *    an order shuffled by the round's rng; when that neighbourhood is used up (every neighbour
 *    seen), those of the next-best cell, and so on down the ranking (ties: earlier first).
 *  - when every completed cell's neighbourhood is used up, random unseen architectures fill the
 *    round (the paper restarts from a random cell; here the random cells join the history and
 *    become centres when they are best).
 * As soon as a round's results contain a better cell it becomes the centre: the batched form of
 * the paper's first-improvement hill climbing. Never proposes a class seen in the history or
 * twice in a round (canonicalHash). On a DomainSearchSpace, `neighbours` already returns the
 * nearest domain cells, so the walk stays inside the table. Deterministic given the rng.
 */
export class LocalSearchStrategy implements Strategy {
  readonly kind = "local-search";

  constructor(private readonly space: AnySearchSpace) {}

  async propose({ count, history, rng }: ProposeRequest): Promise<Proposal> {
    const seen = new Set(history.map((observation) => observation.canonicalHash));
    // A stable sort keeps history order among equal accuracies: the earlier cell is walked first.
    const ranked = history
      .filter(
        (o): o is Scored => o.status === "completed" && typeof o.validationAccuracy === "number",
      )
      .sort((a, b) => b.validationAccuracy - a.validationAccuracy);

    if (ranked.length === 0) {
      const candidates = sampleUnseen(this.space, seen, count, rng);
      return { candidates, info: { phase: "random", random: candidates.length } };
    }

    const candidates: Candidate[] = [];
    /** Rank (0 = best) of each cell whose neighbours this round took from. */
    const centres: number[] = [];
    for (const [rank, centre] of ranked.entries()) {
      if (candidates.length >= count) break;
      const neighbours = shuffle(this.space.neighbours(this.space.parse(centre.archString)), rng);
      let took = false;
      for (const neighbour of neighbours) {
        if (candidates.length >= count) break;
        const candidate = takeUnseen(this.space, seen, neighbour);
        if (candidate) {
          candidates.push(candidate);
          took = true;
        }
      }
      if (took) centres.push(rank);
    }
    const random = sampleUnseen(this.space, seen, count - candidates.length, rng);
    return {
      candidates: [...candidates, ...random],
      info: {
        phase: "local",
        centres,
        bestAccuracy: ranked[0]?.validationAccuracy,
        neighbours: candidates.length,
        random: random.length,
      },
    };
  }
}
