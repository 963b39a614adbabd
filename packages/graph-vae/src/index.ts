export { ensureBackend, tf } from "@nasvae/tf-backend";
export { defaultGraphVaeConfig, type GraphVaeConfig } from "./config.ts";
export {
  classCount,
  type GraphSpace,
  type PaddedGraph,
  padClass,
  padGraph,
  unpadGraph,
} from "./graph-space.ts";
export {
  type DecodeOptions,
  GraphVaeSession,
  type LabelledGraph,
  type Prediction,
  type TrainOptions,
  type TrainReport,
} from "./graph-vae-session.ts";
export { type GraphTensors, GraphVaeModel } from "./model.ts";
export { decodeSnapshot, type TargetStats } from "./snapshot.ts";
