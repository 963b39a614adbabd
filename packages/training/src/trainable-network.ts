import type { LayerSpec } from "@nasvae/search-space";
import type * as tf from "@tensorflow/tfjs";
import type { ImageShape } from "./types.ts";

/** A trainable variable; `decay` says whether weight decay applies (conv and dense weights). */
export interface TrainableParameter {
  readonly name: string;
  readonly variable: tf.Variable;
  readonly decay: boolean;
}

/** A variable under a name stable across processes (checkpoints match variables by it). */
export interface NamedVariable {
  readonly name: string;
  readonly variable: tf.Variable;
}

/** Called by a traced forward pass with each conv/dense layer's name and output shape. */
export type LayerTrace = (name: string, outputShape: readonly number[]) => void;

/**
 * What training, evaluation, latency and cost measurement need from a network: both the
 * NAS-Bench-201 network (network.ts) and the ENAS-6 one (enas-network.ts) implement it.
 */
export interface TrainableNetwork {
  /** Input size and channels, and classes. */
  readonly shape: ImageShape;
  /** Every parameterised layer, in forward order (what the cost counters read). */
  readonly inventory: readonly LayerSpec[];
  /**
   * Logits [B, classes] of NHWC float32 images [B, S, S, inputChannels]. `training`: batch
   * norm uses batch statistics and updates its running averages (call it inside tf.tidy / a
   * gradient function); otherwise running statistics. `trace` sees every conv/dense output
   * shape, and a traced pass computes every layer, also those whose output is unused.
   */
  apply(x: tf.Tensor4D, training: boolean, trace?: LayerTrace): tf.Tensor2D;
  /** Trainable variables in inventory order (running statistics are not among them). */
  trainableParameters(): TrainableParameter[];
  /** Every variable, running statistics included, by stable name (training checkpoints). */
  stateVariables(): NamedVariable[];
  dispose(): void;
}
