import type { LayerSpec } from "@nasvae/search-space";
import {
  ENAS_LAYER_COUNT,
  ENAS_REDUCTION_LAYERS,
  type EnasCell,
  enasNetworkInventory,
  enasOperationShape,
  enasLayerNames as names,
} from "@nasvae/search-space";
import * as tf from "@tensorflow/tfjs";
import { LayerParameters, type LayerPass } from "./layer-parameters.ts";
import * as ops from "./ops.ts";
import type {
  LayerTrace,
  NamedVariable,
  TrainableNetwork,
  TrainableParameter,
} from "./trainable-network.ts";
import type { EnasNetworkShape } from "./types.ts";

export interface EnasNetworkOptions {
  /** Seeds the initial weights. Default 0. */
  readonly seed?: number;
  /**
   * Skip the reductions of nodes that no later layer reads: identical outputs and gradients,
   * less work. Their parameters exist either way, as in ENAS. Default true.
   */
  readonly pruneUnreadNodes?: boolean;
  /** Weight of the new batch in batch norm's running averages (PyTorch's momentum). Default 0.1. */
  readonly batchNormMomentum?: number;
}

/**
 * ENAS's macro child network with a fixed architecture (general_child.py, `_fixed_layer` with
 * whole channels), for one ENAS-6 cell, as TensorFlow.js variables:
 * - stem: conv 3×3 (inputChannels → C) + BN;
 * - six layers; layer i reads node i (the stem for layer 0, else layer i-1):
 *   conv k×k: ReLU-conv 1×1-BN, ReLU-conv k×k-BN (ENAS's fixed layer);
 *   separable k×k: ReLU-conv 1×1-BN, ReLU-depthwise k×k-pointwise 1×1-BN. ENAS's fixed layer
 *   runs ops 1 and 3 as plain convs (its `size = [3, 3, 5, 5]`); we build the separable conv
 *   the op id names, as ENAS's search-time branch does;
 *   avg/max pool 3×3, stride 1, "same": no parameters. ENAS's fixed layer leaves pools
 *   unimplemented (`pass`); its search-time branch puts a 1×1 conv before them to adapt
 *   channels, which are equal here;
 *   layers 1-5: concat(skipped nodes in node order, the op's output) → ReLU-conv 1×1 → C-BN,
 *   also when no skip bit is set, as ENAS's fixed layer does;
 * - after layers 1 and 3 (ENAS's pool_layers) every node so far is factorised-reduced (1×1
 *   conv on the stride-2 grid ‖ 1×1 conv on the grid shifted by one pixel, then BN) to half
 *   the size and twice the channels, so later skips match in shape;
 * - head: global average pool of layer 5's output, linear classifier.
 * Differences from ENAS's final training besides the above: no auxiliary head, no dropout
 * before the classifier (ENAS: keep prob 0.5), a bias in the classifier, and PyTorch's
 * initialisation (as the NAS-Bench-201 network) instead of He's.
 * Inputs are NHWC float32 [B, S, S, inputChannels]; outputs are logits [B, classes].
 */
export class EnasNetwork implements TrainableNetwork {
  readonly inventory: readonly LayerSpec[];
  private readonly parameters: LayerParameters;
  private readonly prune: boolean;

  constructor(
    readonly cell: EnasCell,
    readonly shape: EnasNetworkShape,
    options: EnasNetworkOptions = {},
  ) {
    this.inventory = enasNetworkInventory(cell, shape);
    this.prune = options.pruneUnreadNodes ?? true;
    this.parameters = new LayerParameters(
      this.inventory,
      options.seed ?? 0,
      options.batchNormMomentum ?? 0.1,
    );
  }

  trainableParameters(): TrainableParameter[] {
    return this.parameters.trainableParameters();
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

  apply(x: tf.Tensor4D, training: boolean, trace?: LayerTrace): tf.Tensor2D {
    if (this.parameters.isDisposed) throw new Error("EnasNetwork.apply after dispose()");
    const pass: LayerPass = { training, trace };
    const prune = this.prune && trace === undefined;
    const p = this.parameters;
    let nodes: (tf.Tensor4D | undefined)[] = [
      p.batchNorm(names.stemBatchNorm, p.conv(names.stemConv, x, pass), pass),
    ];
    for (let i = 0; i < ENAS_LAYER_COUNT; i++) {
      const current = nodes;
      nodes.push(tf.tidy(() => this.layerForward(i, current, pass)));
      if (ENAS_REDUCTION_LAYERS.includes(i)) {
        nodes = nodes.map((node, j) =>
          node === undefined || (prune && !this.isReadAfter(i, j))
            ? undefined
            : tf.tidy(() => this.reduce(i, j, node, pass)),
        );
      }
    }
    const output = nodes[ENAS_LAYER_COUNT];
    if (!output) throw new Error("unreachable: the last layer's output is always computed");
    return p.dense(names.classifier, ops.globalAvgPool(output), pass);
  }

  /** Layer i on nodes 0…i (node i its input, earlier ones its skips). */
  private layerForward(
    i: number,
    nodes: readonly (tf.Tensor4D | undefined)[],
    pass: LayerPass,
  ): tf.Tensor4D {
    const p = this.parameters;
    const read = (j: number) => {
      const node = nodes[j];
      if (!node) throw new Error(`unreachable: layer ${i} reads node ${j}, which was pruned`);
      return node;
    };
    const input = read(i);
    const op = enasOperationShape(this.cell, i);
    let out: tf.Tensor4D;
    if (op.kind === "conv" || op.kind === "separable") {
      const h = p.batchNorm(
        names.inputBatchNorm(i),
        p.conv(names.inputConv(i), ops.relu(input), pass),
        pass,
      );
      const convolved =
        op.kind === "conv"
          ? p.conv(names.conv(i, op.kernel), ops.relu(h), pass)
          : p.conv(
              names.pointwise(i),
              p.depthwiseConv(names.depthwise(i, op.kernel), ops.relu(h), pass),
              pass,
            );
      out = p.batchNorm(names.opBatchNorm(i), convolved, pass);
    } else out = op.kind === "avgPool" ? ops.avgPool3x3(input) : ops.maxPool3x3(input);
    if (i === 0) return out;
    const skipped: tf.Tensor4D[] = [];
    (this.cell.skips[i] ?? []).forEach((bit, j) => {
      if (bit === 1) skipped.push(read(j));
    });
    const joined = ops.relu(ops.concatChannels([...skipped, out]));
    return p.batchNorm(names.skipBatchNorm(i), p.conv(names.skipConv(i), joined, pass), pass);
  }

  /** ENAS's factorised reduction of node j after layer `layer`: [S, S, W] → [S/2, S/2, 2W]. */
  private reduce(layer: number, j: number, x: tf.Tensor4D, pass: LayerPass): tf.Tensor4D {
    const p = this.parameters;
    const even = p.conv(names.reductionPath(layer, j, 1), x, pass, 0);
    const odd = p.conv(names.reductionPath(layer, j, 2), ops.shiftByOnePixel(x), pass, 0);
    return p.batchNorm(names.reductionBatchNorm(layer, j), ops.concatChannels([even, odd]), pass);
  }

  /** Whether a layer after `layer` reads node j (as its input or through a skip). */
  private isReadAfter(layer: number, j: number): boolean {
    for (let i = layer + 1; i < ENAS_LAYER_COUNT; i++) {
      if (i === j || this.cell.skips[i]?.[j] === 1) return true;
    }
    return false;
  }
}
