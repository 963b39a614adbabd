import type { AnySearchSpace, Candidate, Proposal, ProposeRequest, Strategy } from "./strategy.ts";

/**
 * Uniform random sampling of unseen architectures: the baseline every other strategy is
 * measured against. Rejection sampling, falling back to enumerating the space when it is
 * nearly exhausted so that the round is filled whenever anything unseen is left.
 */
export class RandomStrategy implements Strategy {
  readonly kind = "random";

  constructor(private readonly space: AnySearchSpace) {}

  async propose({ count, history, rng }: ProposeRequest): Promise<Proposal> {
    const seen = new Set(history.map((observation) => observation.canonicalHash));
    const candidates: Candidate[] = [];
    const take = (cell: unknown): void => {
      const canonicalHash = this.space.canonicalHash(cell);
      if (seen.has(canonicalHash)) return;
      seen.add(canonicalHash);
      candidates.push({ archString: this.space.format(cell), canonicalHash });
    };

    // Misses become frequent only when most classes are seen; bound the tries per candidate.
    let tries = 0;
    const maxTries = 50 * count + 1000;
    while (candidates.length < count && tries < maxTries) {
      take(this.space.sample(rng));
      tries += 1;
    }
    if (candidates.length < count) {
      const rest: unknown[] = [];
      for (const cell of this.space.enumerate()) {
        if (!seen.has(this.space.canonicalHash(cell))) rest.push(cell);
      }
      while (candidates.length < count && rest.length > 0) {
        const [cell] = rest.splice(rng.int(rest.length), 1);
        take(cell);
      }
    }
    return { candidates };
  }
}
