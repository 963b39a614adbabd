// The propose step of a campaign round, shared by the coordinator (apps/coordinator's
// RoundPlanner, which then writes the round to Postgres and enqueues it) and the search bench
// (bench/lib/run-campaign.ts, which scores the candidates in process): the same seed, the same
// count and the same request, so the bench measures exactly what a campaign would propose.
import { createRandom } from "@nasvae/search-space";
import type { Observation, Proposal, Strategy } from "./strategy.ts";

/** A round's own 32-bit seed, so a replayed round proposes exactly the same candidates. */
export function roundSeed(campaignSeed: number, roundIndex: number): number {
  return (campaignSeed ^ Math.imul(roundIndex + 1, 0x9e3779b1)) >>> 0;
}

/** Evaluations a campaign may still run: its budget less the completed observations. */
export function evaluationsLeft(budget: number, history: readonly Observation[]): number {
  return budget - history.filter((observation) => observation.status === "completed").length;
}

export interface RoundRequest {
  strategy: Strategy;
  /** The campaign's seed: round k draws from createRandom(roundSeed(campaignSeed, k)). */
  campaignSeed: number;
  roundIndex: number;
  /** Candidates per round (the campaign's budget.perRound). */
  roundSize: number;
  /** Evaluations left in the budget (evaluationsLeft); the round asks for at most this many. */
  remaining: number;
  /** Everything the campaign proposed so far, in order, with results where known. */
  history: readonly Observation[];
  /** What the strategy saved with the previous round, if anything (a warm start). */
  state?: Uint8Array;
}

export interface ProposedRound extends Proposal {
  /** What the strategy was asked for: min(roundSize, remaining). */
  count: number;
  /** How long the strategy took to propose, in milliseconds. */
  proposeMs: number;
}

/**
 * Asks the strategy for round `roundIndex`: min(roundSize, remaining) candidates, with the
 * round's own seeded rng, the history and the previous round's state. An empty proposal means
 * the search space has nothing unseen left.
 */
export async function proposeRound(request: RoundRequest): Promise<ProposedRound> {
  const { strategy, campaignSeed, roundIndex, roundSize, remaining, history, state } = request;
  const count = Math.min(roundSize, remaining);
  const started = performance.now();
  const proposal = await strategy.propose({
    count,
    history,
    rng: createRandom(roundSeed(campaignSeed, roundIndex)),
    roundIndex,
    ...(state !== undefined ? { state } : {}),
  });
  return { ...proposal, count, proposeMs: performance.now() - started };
}
