export {
  createStrategy,
  STRATEGY_KINDS,
  type StrategySpec,
  StrategySpecSchema,
} from "./create-strategy.ts";
export { RandomStrategy } from "./random-strategy.ts";
export type {
  AnySearchSpace,
  Candidate,
  Observation,
  ProposeRequest,
  Strategy,
} from "./strategy.ts";
