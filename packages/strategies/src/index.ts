export { createStrategy } from "./create-strategy.ts";
export { type EvolutionOptions, EvolutionStrategy } from "./evolution-strategy.ts";
export { type SpaceGraphs, spaceGraphs } from "./graph-space-of.ts";
export { GraphVaeStrategy } from "./graph-vae-strategy.ts";
export { LocalSearchStrategy } from "./local-search-strategy.ts";
export {
  crowdingDistances,
  type Nsga2Options,
  Nsga2Strategy,
  nonDominatedSort,
  type RankedMember,
  selectPopulation,
} from "./nsga2-strategy.ts";
export {
  type AccuracyFlopsPoint,
  dominates,
  hypervolume,
  nonDominated,
} from "./pareto.ts";
export {
  evaluationsLeft,
  type ProposedRound,
  proposeRound,
  type RoundRequest,
  roundSeed,
} from "./propose-round.ts";
export { RandomStrategy } from "./random-strategy.ts";
export type {
  AnySearchSpace,
  Candidate,
  Observation,
  Proposal,
  ProposeRequest,
  Strategy,
} from "./strategy.ts";
export { sampleUnseen, takeUnseen } from "./unseen-sampler.ts";
