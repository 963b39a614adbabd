import {
  convKernel,
  type LayerSpec,
  layerNames,
  NB201_EDGES,
  NB201_NODE_COUNT,
  type Nb201Cell,
  networkInventory,
} from "@nasvae/search-space";
import * as tf from "@tensorflow/tfjs";
import { LayerParameters, type LayerPass } from "./layer-parameters.ts";
import { type CellLiveness, cellLiveness } from "./liveness.ts";
import * as ops from "./ops.ts";
import type {
  LayerTrace,
  NamedVariable,
  TrainableNetwork,
  TrainableParameter,
} from "./trainable-network.ts";
import type { NetworkShape } from "./types.ts";

// Kept exported from here: these were defined in this module first.
export type { LayerTrace, TrainableParameter } from "./trainable-network.ts";

export interface NetworkOptions {
  /** Seeds the initial weights. Default 0. */
  readonly seed?: number;
  /**
   * Skip edges that cannot reach a cell's output (see cellLiveness): identical outputs and
   * gradients, less work. Their parameters exist either way, as in NB201. Default true.
   */
  readonly pruneDeadEdges?: boolean;
  /** Weight of the new batch in batch norm's running averages (PyTorch's momentum). Default 0.1. */
  readonly batchNormMomentum?: number;
}

/** Forward-pass state: mode, the optional tracer, and whether dead edges are skipped. */
interface Pass extends LayerPass {
  readonly prune: boolean;
}

/**
 * The NAS-Bench-201 macro network for one cell, as TensorFlow.js variables: stem, three
 * stages of N cells joined by residual reduction blocks, and the classifier head (see
 * networkInventory). Inputs are NHWC float32 [B, S, S, inputChannels]; outputs are logits
 * [B, classes].
 */
export class Nb201Network implements TrainableNetwork {
  readonly inventory: readonly LayerSpec[];
  private readonly parameters: LayerParameters;
  private readonly live: CellLiveness;
  private readonly prune: boolean;

  constructor(
    readonly cell: Nb201Cell,
    readonly shape: NetworkShape,
    options: NetworkOptions = {},
  ) {
    this.inventory = networkInventory(cell, shape);
    this.live = cellLiveness(cell);
    this.prune = options.pruneDeadEdges ?? true;
    this.parameters = new LayerParameters(
      this.inventory,
      options.seed ?? 0,
      options.batchNormMomentum ?? 0.1,
    );
  }

  /** Trainable variables in inventory order (running statistics are not among them). */
  trainableParameters(): TrainableParameter[] {
    return this.parameters.trainableParameters();
  }

  /**
   * Logits for a batch. `training`: batch norm uses batch statistics and updates its running
   * averages (call it inside tf.tidy / a gradient function); otherwise running statistics.
   * `trace` sees every conv/dense output shape; tracing computes dead edges too.
   */
  apply(x: tf.Tensor4D, training: boolean, trace?: LayerTrace): tf.Tensor2D {
    if (this.parameters.isDisposed) throw new Error("Nb201Network.apply after dispose()");
    const pass: Pass = { training, trace, prune: this.prune && trace === undefined };
    let h = this.batchNorm(layerNames.stemBatchNorm, this.conv(layerNames.stemConv, x, pass), pass);
    for (let stage = 0; stage < 3; stage++) {
      const input = h;
      if (stage > 0) h = tf.tidy(() => this.reduction(stage, input, pass));
      for (let k = 0; k < this.shape.cellsPerStage; k++) {
        const cellInput = h;
        h = tf.tidy(() => this.cellForward(stage, k, cellInput, pass));
      }
    }
    h = ops.relu(this.batchNorm(layerNames.headBatchNorm, h, pass));
    return this.parameters.dense(layerNames.classifier, ops.globalAvgPool(h), pass);
  }

  /** Every variable, running statistics included, by stable name (training checkpoints). */
  stateVariables(): NamedVariable[] {
    return this.parameters.stateVariables();
  }

  /** Every variable, running statistics included. */
  variables(): tf.Variable[] {
    return this.parameters.variables();
  }

  dispose(): void {
    this.parameters.dispose();
  }

  private conv(name: string, x: tf.Tensor4D, pass: Pass): tf.Tensor4D {
    return this.parameters.conv(name, x, pass);
  }

  private batchNorm(name: string, x: tf.Tensor4D, pass: Pass): tf.Tensor4D {
    return this.parameters.batchNorm(name, x, pass);
  }

  /**
   * ReLU → conv → BN, the unit of NB201's convolution edges and reduction block. Its own
   * tidy frees the intermediates at once (a batch of 256 would otherwise hold every
   * activation of the network until the caller's tidy ends); under a gradient tape the
   * tensors backprop needs are kept by the engine.
   */
  private reluConvBn(convName: string, bnName: string, x: tf.Tensor4D, pass: Pass) {
    return tf.tidy(() => this.batchNorm(bnName, this.conv(convName, ops.relu(x), pass), pass));
  }

  private reduction(stage: number, x: tf.Tensor4D, pass: Pass): tf.Tensor4D {
    const p = layerNames.reduction(stage);
    const a = this.reluConvBn(`${p}.conv_a`, `${p}.bn_a`, x, pass);
    const b = this.reluConvBn(`${p}.conv_b`, `${p}.bn_b`, a, pass);
    const shortcut = this.conv(`${p}.shortcut`, ops.avgPool2x2(x), pass);
    return ops.addAll([shortcut, b]);
  }

  /** Node j = sum over i < j of op_ij(node i); `none` contributes nothing. */
  private cellForward(stage: number, k: number, input: tf.Tensor4D, pass: Pass): tf.Tensor4D {
    const nodes: (tf.Tensor4D | undefined)[] = [input];
    for (let to = 1; to < NB201_NODE_COUNT; to++) {
      const terms: tf.Tensor4D[] = [];
      NB201_EDGES.forEach((edge, i) => {
        const op = this.cell.edges[i];
        const from = nodes[edge.from];
        if (edge.to !== to || op === undefined || op === "none" || from === undefined) return;
        if (pass.prune && !this.live.edges[i]) return;
        const kernel = convKernel(op);
        if (kernel !== undefined) {
          const p = layerNames.edge(stage, k, edge.from, edge.to);
          terms.push(this.reluConvBn(`${p}.${op}`, `${p}.bn`, from, pass));
        } else if (op === "avg_pool_3x3") terms.push(ops.avgPool3x3(from));
        else terms.push(from); // skip_connect
      });
      // A node fed by `none` only is zeros; a dead node is not computed when pruning.
      if (pass.prune && !this.live.nodes[to]) nodes.push(undefined);
      else nodes.push(terms.length > 0 ? ops.addAll(terms) : ops.zerosLike(input));
    }
    const output = nodes[NB201_NODE_COUNT - 1];
    if (!output) throw new Error("unreachable: the cell output is always computed");
    return output;
  }
}
