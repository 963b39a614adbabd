// The backend's one setting a deployment chooses (a worker's NASVAE_WASM_THREADS).
export { setWasmThreads } from "@nasvae/tf-backend";
export { Adam, type AdamOptions } from "./adam.ts";
export {
  CheckpointMismatchError,
  restoreTrainingState,
  saveTrainingState,
  type TrainingProgressState,
} from "./checkpoint.ts";
export { inventoryCost, layerCost, type ModelCost, measuredCost } from "./cost.ts";
export {
  type Batch,
  BatchBuilder,
  CROP_PADDING,
  channelStatistics,
  disposeBatch,
  type ImageFormat,
  type Normalization,
  shuffledIndices,
} from "./data.ts";
export { EnasNetwork, type EnasNetworkOptions } from "./enas-network.ts";
export { type Evaluation, evaluate } from "./evaluate.ts";
export { type LatencyOptions, measureLatency } from "./latency.ts";
export { type CellLiveness, cellLiveness } from "./liveness.ts";
export {
  type LayerTrace,
  Nb201Network,
  type NetworkOptions,
  type TrainableParameter,
} from "./network.ts";
export { createOptimizer, type ParameterOptimizer } from "./optimizer.ts";
export { cosineAnnealing, learningRateAt } from "./schedule.ts";
export { NesterovSgd, type SgdOptions } from "./sgd.ts";
export { batchRanges, trainCell, trainEnasCell, trainNetwork } from "./train.ts";
export type { NamedVariable, TrainableNetwork } from "./trainable-network.ts";
export type {
  CheckpointHooks,
  EnasNetworkShape,
  EpochDecision,
  EpochReport,
  ImageShape,
  NetworkShape,
  TrainCallbacks,
  TrainingOutcome,
  TrainingRecipe,
} from "./types.ts";
export {
  TrainingInputError,
  validateDataset,
  validateEnasShape,
  validateRecipe,
  validateShape,
} from "./validate.ts";
