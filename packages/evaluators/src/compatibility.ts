import { EVALUATOR_KINDS, type EvaluatorKind } from "./spec.ts";

/**
 * The search spaces (registry ids of @nasvae/search-space) each evaluator kind can score: a
 * table only the space it was measured on, training any space it can build a network for.
 */
export const EVALUATOR_SEARCH_SPACES: Readonly<Record<EvaluatorKind, readonly string[]>> = {
  "nas-bench-201": ["nas-bench-201"],
  "enas-6-table": ["enas-macro-6"],
  train: ["nas-bench-201", "enas-macro-6"],
};

/** The evaluator kinds that can score a search space, in EVALUATOR_KINDS order. */
export function evaluatorKindsFor(searchSpaceId: string): EvaluatorKind[] {
  return EVALUATOR_KINDS.filter((kind) => EVALUATOR_SEARCH_SPACES[kind].includes(searchSpaceId));
}

/**
 * Why an evaluator kind cannot score a search space, e.g.
 * `evaluator "enas-6-table" cannot score search space "nas-bench-201" (it scores: enas-macro-6)`;
 * null when it can.
 */
export function searchSpaceMismatch(kind: EvaluatorKind, searchSpaceId: string): string | null {
  const scored = EVALUATOR_SEARCH_SPACES[kind];
  if (scored.includes(searchSpaceId)) return null;
  return `evaluator "${kind}" cannot score search space "${searchSpaceId}" (it scores: ${scored.join(", ")})`;
}
