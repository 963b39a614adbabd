import { NB201_EDGES, NB201_NODE_COUNT, type Nb201Cell } from "@nasvae/search-space";
import * as tf from "@tensorflow/tfjs";
import { constant, SeededInitializer } from "./initializers.ts";
import {
  type BatchNormLayerSpec,
  type ConvLayerSpec,
  convKernel,
  type DenseLayerSpec,
  type LayerSpec,
  layerNames,
  networkInventory,
} from "./inventory.ts";
import { type CellLiveness, cellLiveness } from "./liveness.ts";
import * as ops from "./ops.ts";
import type { NetworkShape } from "./types.ts";
import { variable } from "./variables.ts";

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

/** A trainable variable; `decay` says whether weight decay applies (conv and dense weights). */
export interface TrainableParameter {
  readonly name: string;
  readonly variable: tf.Variable;
  readonly decay: boolean;
}

/** Called by a traced forward pass with each conv/dense layer's name and output shape. */
export type LayerTrace = (name: string, outputShape: readonly number[]) => void;

interface ConvParams {
  readonly spec: ConvLayerSpec;
  readonly filter: tf.Variable<tf.Rank.R4>;
}

interface BatchNormParams {
  readonly spec: BatchNormLayerSpec;
  readonly gamma: tf.Variable<tf.Rank.R1>;
  readonly beta: tf.Variable<tf.Rank.R1>;
  readonly runningMean: tf.Variable<tf.Rank.R1>;
  readonly runningVariance: tf.Variable<tf.Rank.R1>;
}

interface DenseParams {
  readonly spec: DenseLayerSpec;
  readonly kernel: tf.Variable<tf.Rank.R2>;
  readonly bias: tf.Variable<tf.Rank.R1>;
}

/** Forward-pass state: mode and the optional tracer. */
interface Pass {
  readonly training: boolean;
  readonly trace: LayerTrace | undefined;
  readonly prune: boolean;
}

/**
 * The NAS-Bench-201 macro network for one cell, as TensorFlow.js variables: stem, three
 * stages of N cells joined by residual reduction blocks, and the classifier head (see
 * networkInventory). Inputs are NHWC float32 [B, S, S, 3]; outputs are logits [B, classes].
 */
export class Nb201Network {
  readonly inventory: readonly LayerSpec[];
  private readonly convs = new Map<string, ConvParams>();
  private readonly norms = new Map<string, BatchNormParams>();
  private readonly denses = new Map<string, DenseParams>();
  private readonly live: CellLiveness;
  private readonly prune: boolean;
  private readonly momentum: number;
  private disposed = false;

  constructor(
    readonly cell: Nb201Cell,
    readonly shape: NetworkShape,
    options: NetworkOptions = {},
  ) {
    this.inventory = networkInventory(cell, shape);
    this.live = cellLiveness(cell);
    this.prune = options.pruneDeadEdges ?? true;
    this.momentum = options.batchNormMomentum ?? 0.1;
    const init = new SeededInitializer(options.seed ?? 0);
    for (const spec of this.inventory) this.materialise(spec, init);
  }

  /** Trainable variables in inventory order (running statistics are not among them). */
  trainableParameters(): TrainableParameter[] {
    const parameters: TrainableParameter[] = [];
    for (const spec of this.inventory) {
      const conv = this.convs.get(spec.name);
      const norm = this.norms.get(spec.name);
      const dense = this.denses.get(spec.name);
      if (conv)
        parameters.push({ name: `${spec.name}.weight`, variable: conv.filter, decay: true });
      if (norm) {
        parameters.push({ name: `${spec.name}.gamma`, variable: norm.gamma, decay: false });
        parameters.push({ name: `${spec.name}.beta`, variable: norm.beta, decay: false });
      }
      if (dense) {
        parameters.push({ name: `${spec.name}.weight`, variable: dense.kernel, decay: true });
        parameters.push({ name: `${spec.name}.bias`, variable: dense.bias, decay: false });
      }
    }
    return parameters;
  }

  /**
   * Logits for a batch. `training`: batch norm uses batch statistics and updates its running
   * averages (call it inside tf.tidy / a gradient function); otherwise running statistics.
   * `trace` sees every conv/dense output shape; tracing computes dead edges too.
   */
  apply(x: tf.Tensor4D, training: boolean, trace?: LayerTrace): tf.Tensor2D {
    if (this.disposed) throw new Error("Nb201Network.apply after dispose()");
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
    const classifier = this.layer(this.denses, layerNames.classifier);
    const logits = ops.dense(ops.globalAvgPool(h), classifier.kernel, classifier.bias);
    trace?.(layerNames.classifier, logits.shape);
    return logits;
  }

  /** Every variable, running statistics included. */
  variables(): tf.Variable[] {
    const all: tf.Variable[] = [];
    for (const c of this.convs.values()) all.push(c.filter);
    for (const n of this.norms.values())
      all.push(n.gamma, n.beta, n.runningMean, n.runningVariance);
    for (const d of this.denses.values()) all.push(d.kernel, d.bias);
    return all;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.variables()) v.dispose();
  }

  private materialise(spec: LayerSpec, init: SeededInitializer): void {
    switch (spec.kind) {
      case "conv": {
        const fanIn = spec.inChannels * spec.kernel * spec.kernel;
        const filterShape = [spec.kernel, spec.kernel, spec.inChannels, spec.outChannels] as const;
        const values = init.fanInUniform(fanIn * spec.outChannels, fanIn);
        this.convs.set(spec.name, {
          spec,
          filter: variable(tf.tensor4d(values, [...filterShape])),
        });
        return;
      }
      case "batchNorm": {
        const c = spec.channels;
        const v = (value: number, trainable: boolean) =>
          variable(tf.tensor1d(constant(c, value)), trainable);
        this.norms.set(spec.name, {
          spec,
          gamma: v(1, true),
          beta: v(0, true),
          runningMean: v(0, false),
          runningVariance: v(1, false),
        });
        return;
      }
      case "dense": {
        const { inFeatures, outFeatures } = spec;
        const kernel = init.fanInUniform(inFeatures * outFeatures, inFeatures);
        const bias = init.fanInUniform(outFeatures, inFeatures);
        this.denses.set(spec.name, {
          spec,
          kernel: variable(tf.tensor2d(kernel, [inFeatures, outFeatures])),
          bias: variable(tf.tensor1d(bias)),
        });
        return;
      }
    }
  }

  private layer<T>(layers: Map<string, T>, name: string): T {
    const found = layers.get(name);
    if (!found) throw new Error(`Nb201Network has no layer ${name}`);
    return found;
  }

  private conv(name: string, x: tf.Tensor4D, pass: Pass): tf.Tensor4D {
    const { spec, filter } = this.layer(this.convs, name);
    const y = ops.conv2d(x, filter, spec.stride, (spec.kernel - 1) / 2);
    pass.trace?.(name, y.shape);
    return y;
  }

  private batchNorm(name: string, x: tf.Tensor4D, pass: Pass): tf.Tensor4D {
    const norm = this.layer(this.norms, name);
    if (!pass.training) {
      return ops.batchNormInference(
        x,
        norm.gamma,
        norm.beta,
        norm.runningMean,
        norm.runningVariance,
      );
    }
    const { output, mean, variance } = ops.batchNormTrain(x, norm.gamma, norm.beta);
    const [batch, height, width] = x.shape;
    const n = batch * height * width;
    // PyTorch keeps the unbiased variance in its running average.
    const unbias = n > 1 ? n / (n - 1) : 1;
    const m = this.momentum;
    tf.tidy(() => {
      norm.runningMean.assign(tf.add(tf.mul(norm.runningMean, 1 - m), tf.mul(mean, m)));
      norm.runningVariance.assign(
        tf.add(tf.mul(norm.runningVariance, 1 - m), tf.mul(variance, m * unbias)),
      );
    });
    return output;
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
