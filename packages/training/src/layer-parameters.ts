import type {
  BatchNormLayerSpec,
  ConvLayerSpec,
  DenseLayerSpec,
  DepthwiseConvLayerSpec,
  LayerSpec,
} from "@nasvae/search-space";
import * as tf from "@tensorflow/tfjs";
import { constant, SeededInitializer } from "./initializers.ts";
import * as ops from "./ops.ts";
import type { LayerTrace, NamedVariable, TrainableParameter } from "./trainable-network.ts";
import { variable } from "./variables.ts";

interface ConvParams {
  readonly spec: ConvLayerSpec;
  readonly filter: tf.Variable<tf.Rank.R4>;
}

interface DepthwiseConvParams {
  readonly spec: DepthwiseConvLayerSpec;
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

/** Forward-pass state every layer needs: mode and the optional tracer. */
export interface LayerPass {
  readonly training: boolean;
  readonly trace: LayerTrace | undefined;
}

/**
 * The variables of a network's layer inventory, and the layers that use them, looked up by
 * name. Initial values are drawn in inventory order from one seeded stream (PyTorch's defaults:
 * initializers.ts), so a seed and an inventory give the same weights on every backend.
 */
export class LayerParameters {
  private readonly convs = new Map<string, ConvParams>();
  private readonly depthwiseConvs = new Map<string, DepthwiseConvParams>();
  private readonly norms = new Map<string, BatchNormParams>();
  private readonly denses = new Map<string, DenseParams>();
  private disposed = false;

  /**
   * @param seed seeds the initial weights.
   * @param batchNormMomentum weight of the new batch in batch norm's running averages
   *   (PyTorch's momentum, 0.1 there).
   */
  constructor(
    readonly inventory: readonly LayerSpec[],
    seed: number,
    private readonly batchNormMomentum: number,
  ) {
    const init = new SeededInitializer(seed);
    for (const spec of inventory) this.materialise(spec, init);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Trainable variables in inventory order (running statistics are not among them). */
  trainableParameters(): TrainableParameter[] {
    const parameters: TrainableParameter[] = [];
    for (const spec of this.inventory) {
      const conv = this.convs.get(spec.name) ?? this.depthwiseConvs.get(spec.name);
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
   * Every variable, running statistics included, under a name stable across processes
   * (`layer.weight`, `layer.runningMean`…): what a training checkpoint saves and restores.
   */
  stateVariables(): NamedVariable[] {
    const named: NamedVariable[] = [];
    for (const [name, c] of this.convs) named.push({ name: `${name}.weight`, variable: c.filter });
    for (const [name, c] of this.depthwiseConvs) {
      named.push({ name: `${name}.weight`, variable: c.filter });
    }
    for (const [name, n] of this.norms) {
      named.push(
        { name: `${name}.gamma`, variable: n.gamma },
        { name: `${name}.beta`, variable: n.beta },
        { name: `${name}.runningMean`, variable: n.runningMean },
        { name: `${name}.runningVariance`, variable: n.runningVariance },
      );
    }
    for (const [name, d] of this.denses) {
      named.push(
        { name: `${name}.weight`, variable: d.kernel },
        { name: `${name}.bias`, variable: d.bias },
      );
    }
    return named;
  }

  /** Every variable, running statistics included. */
  variables(): tf.Variable[] {
    const all: tf.Variable[] = [];
    for (const c of this.convs.values()) all.push(c.filter);
    for (const c of this.depthwiseConvs.values()) all.push(c.filter);
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

  /** The named conv with PyTorch's symmetric zero padding (k-1)/2, or `padding` if given. */
  conv(name: string, x: tf.Tensor4D, pass: LayerPass, padding?: number): tf.Tensor4D {
    const { spec, filter } = this.layer(this.convs, name);
    const y = ops.conv2d(x, filter, spec.stride, padding ?? (spec.kernel - 1) / 2);
    pass.trace?.(name, y.shape);
    return y;
  }

  /** The named depthwise conv, "same" padding. */
  depthwiseConv(name: string, x: tf.Tensor4D, pass: LayerPass): tf.Tensor4D {
    const { spec, filter } = this.layer(this.depthwiseConvs, name);
    const y = ops.depthwiseConv2d(x, filter, spec.stride);
    pass.trace?.(name, y.shape);
    return y;
  }

  /**
   * The named batch norm: batch statistics in training (running averages updated, with
   * PyTorch's unbiased variance), running statistics otherwise.
   */
  batchNorm(name: string, x: tf.Tensor4D, pass: LayerPass): tf.Tensor4D {
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
    const m = this.batchNormMomentum;
    tf.tidy(() => {
      norm.runningMean.assign(tf.add(tf.mul(norm.runningMean, 1 - m), tf.mul(mean, m)));
      norm.runningVariance.assign(
        tf.add(tf.mul(norm.runningVariance, 1 - m), tf.mul(variance, m * unbias)),
      );
    });
    return output;
  }

  /** The named dense layer on [B, in] features. */
  dense(name: string, x: tf.Tensor2D, pass: LayerPass): tf.Tensor2D {
    const { kernel, bias } = this.layer(this.denses, name);
    const y = ops.dense(x, kernel, bias);
    pass.trace?.(name, y.shape);
    return y;
  }

  private layer<T>(layers: Map<string, T>, name: string): T {
    const found = layers.get(name);
    if (!found) throw new Error(`the network has no layer ${name} of that kind`);
    return found;
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
      case "depthwiseConv": {
        // PyTorch's fan-in of a grouped conv: one channel's window.
        const fanIn = spec.kernel * spec.kernel;
        const values = init.fanInUniform(fanIn * spec.channels, fanIn);
        this.depthwiseConvs.set(spec.name, {
          spec,
          filter: variable(tf.tensor4d(values, [spec.kernel, spec.kernel, spec.channels, 1])),
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
}
