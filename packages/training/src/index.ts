export type {
  EpochDecision,
  EpochReport,
  NetworkShape,
  TrainCallbacks,
  TrainingOutcome,
  TrainingRecipe,
} from "./types.ts";
