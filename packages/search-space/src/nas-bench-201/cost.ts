import { NB201_EDGES, type Nb201Cell } from "./cell.ts";
import type { Nb201Operation } from "./operations.ts";

/*
 * FLOPs / parameters of the NAS-Bench-201 macro network, computed layer by layer:
 *   stem: conv3x3 (inputChannels→C, no bias) + BN
 *   3 stages of N cells at C, 2C, 4C channels (spatial S, S/2, S/4), with a residual block
 *   between stages: ReLU-conv3x3 stride 2 (Cin→Cout) + BN, ReLU-conv3x3 (Cout→Cout) + BN,
 *   shortcut AvgPool2d(2) + conv1x1 (Cin→Cout, no BN)
 *   head: BN + ReLU + global average pool + linear 4C→classes (with bias)
 * Cell edges: nor_conv_kxk = ReLU-conv kxk (C→C, no bias)-BN; pooling, skip and none are free.
 * Conventions follow NB201's counter: flops = multiply-accumulates of convs plus in*out + out
 * for the linear layer; BN, ReLU and pooling add no flops; BN has 2 (affine) params per
 * channel. Every edge counts, even one made dead by `none` elsewhere in the cell.
 */

export interface NetworkCostOptions {
  /** C, channels of the first stage (NB201: 16). */
  readonly channels?: number;
  /** N, cells per stage (NB201: 5). */
  readonly cellsPerStage?: number;
  /** Output classes: 10 (CIFAR-10), 100 (CIFAR-100), 120 (ImageNet16-120). */
  readonly classes?: number;
  /** Input height = width: 32 for CIFAR, 16 for ImageNet16-120. Must be divisible by 4. */
  readonly inputSize?: number;
  /** Colour channels of the input: 3 (CIFAR, ImageNet16; the default), 1 (Fashion-MNIST). */
  readonly inputChannels?: number;
}

export interface NetworkCost {
  /** Multiply-accumulates (NB201's "FLOPs"). */
  readonly flops: number;
  readonly params: number;
}

export interface LayerCost extends NetworkCost {
  readonly name: string;
}

const CONV_KERNEL: Partial<Record<Nb201Operation, number>> = {
  nor_conv_1x1: 1,
  nor_conv_3x3: 3,
};

function conv(name: string, cin: number, cout: number, kernel: number, outSize: number): LayerCost {
  const weights = cin * cout * kernel * kernel;
  return { name, flops: weights * outSize * outSize, params: weights };
}

function batchNorm(name: string, channels: number): LayerCost {
  return { name, flops: 0, params: 2 * channels };
}

function linear(name: string, inFeatures: number, outFeatures: number): LayerCost {
  const size = inFeatures * outFeatures + outFeatures;
  return { name, flops: size, params: size };
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`networkCost option ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Every layer of the macro network that has a cost, in forward order. */
export function networkLayers(cell: Nb201Cell, options: NetworkCostOptions = {}): LayerCost[] {
  const c = positiveInteger("channels", options.channels ?? 16);
  const n = positiveInteger("cellsPerStage", options.cellsPerStage ?? 5);
  const classes = positiveInteger("classes", options.classes ?? 10);
  const inputSize = positiveInteger("inputSize", options.inputSize ?? 32);
  const inputChannels = positiveInteger("inputChannels", options.inputChannels ?? 3);
  if (inputSize % 4 !== 0) {
    throw new Error(`networkCost option inputSize must be divisible by 4, got ${inputSize}`);
  }

  const layers: LayerCost[] = [
    conv("stem.conv", inputChannels, c, 3, inputSize),
    batchNorm("stem.bn", c),
  ];
  for (let stage = 0; stage < 3; stage++) {
    const channels = c * 2 ** stage;
    const size = inputSize / 2 ** stage;
    if (stage > 0) {
      const cin = channels / 2;
      const p = `reduction${stage}`;
      layers.push(
        conv(`${p}.conv_a`, cin, channels, 3, size),
        batchNorm(`${p}.bn_a`, channels),
        conv(`${p}.conv_b`, channels, channels, 3, size),
        batchNorm(`${p}.bn_b`, channels),
        conv(`${p}.shortcut`, cin, channels, 1, size),
      );
    }
    for (let k = 0; k < n; k++) {
      cell.edges.forEach((op, i) => {
        const kernel = CONV_KERNEL[op];
        const edge = NB201_EDGES[i];
        if (kernel === undefined || edge === undefined) return;
        const p = `stage${stage + 1}.cell${k}.edge${edge.from}${edge.to}`;
        layers.push(
          conv(`${p}.${op}`, channels, channels, kernel, size),
          batchNorm(`${p}.bn`, channels),
        );
      });
    }
  }
  layers.push(batchNorm("head.bn", 4 * c), linear("head.classifier", 4 * c, classes));
  return layers;
}

/** Total FLOPs (MACs) and parameters of the macro network for this cell. */
export function networkCost(cell: Nb201Cell, options: NetworkCostOptions = {}): NetworkCost {
  let flops = 0;
  let params = 0;
  for (const layer of networkLayers(cell, options)) {
    flops += layer.flops;
    params += layer.params;
  }
  return { flops, params };
}
