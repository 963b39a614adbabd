import type { AnySearchSpace, Proposal, ProposeRequest, Strategy } from "./strategy.ts";
import { sampleUnseen } from "./unseen-sampler.ts";

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
    return { candidates: sampleUnseen(this.space, seen, count, rng) };
  }
}
