import type { Random, SearchSpace } from "@nasvae/search-space";

/** What a strategy knows of one architecture the campaign has already proposed. */
export interface Observation {
  archString: string;
  canonicalHash: string;
  status: "pending" | "completed" | "failed";
  /** The search signal (validation accuracy, %), when completed. */
  validationAccuracy?: number;
  flops?: number;
  params?: number;
}

export interface ProposeRequest {
  /** How many new, distinct, unseen candidates the round wants. */
  count: number;
  /** Everything the campaign proposed so far, in order, with results where known. */
  history: readonly Observation[];
  /** Seeded for this campaign and round, so a replayed round proposes the same candidates. */
  rng: Random;
  roundIndex: number;
  /** What the strategy saved with the previous round (e.g. model weights), if anything. */
  state?: Uint8Array;
}

export interface Candidate {
  archString: string;
  canonicalHash: string;
  /** What the strategy's model predicted for it, if it has one (accuracy in %, FLOPs). */
  prediction?: { accuracy?: number; flops?: number };
}

export interface Proposal {
  candidates: Candidate[];
  /** State to keep with this round and hand back in the next request (e.g. model weights). */
  state?: Uint8Array;
  /** How the proposal was made (losses, timings, backend), recorded with the round. */
  info?: Record<string, unknown>;
}

/**
 * A search strategy: given what has been evaluated, propose the next batch. It must not return
 * an architecture isomorphic to one in `history` or twice in one batch. It may return fewer than
 * `count` only when the search space has no unseen architecture left.
 */
export interface Strategy {
  readonly kind: string;
  propose(request: ProposeRequest): Promise<Proposal>;
}

// biome-ignore lint/suspicious/noExplicitAny: strategies work with any search space's cell type.
export type AnySearchSpace = SearchSpace<any, any, any>;
