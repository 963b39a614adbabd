import { ENAS_LAYER_COUNT, type EnasCell } from "./cell.ts";

/*
 * FLOPs / parameters of the ENAS-6 macro child network (ENAS's general_child.py with a fixed
 * architecture, as @nasvae/training builds it), layer by layer:
 *   stem: conv3x3 (inputChannels→C, no bias) + BN
 *   layer i (at the current width W and size s):
 *     conv k×k:     ReLU-conv1x1 (W→W)-BN, ReLU-conv k×k (W→W)-BN
 *     sep conv k×k: ReLU-conv1x1 (W→W)-BN, ReLU-depthwise k×k-pointwise 1×1 (W→W)-BN
 *     avg/max pool 3×3, stride 1: free (input and output widths are equal, so ENAS's 1×1 conv
 *       that adapts channels before a pool is not needed)
 *     layers 1…5: concat(skipped nodes, output) → ReLU-conv1x1 ((1+skips)·W→W)-BN; ENAS's
 *       fixed child does this even when no skip bit is set
 *   after layers 1 and 3: every node so far (stem output, layer outputs) goes through a
 *     factorised reduction to 2W at s/2: two conv1x1 (W→W) on the stride-2 grid and on the
 *     grid shifted by one pixel, concatenated, + BN
 *   head: global average pool + linear 4C→classes (with bias)
 * Conventions as NAS-Bench-201's counter (../nas-bench-201/cost.ts): flops = multiply-
 * accumulates of convs (a depthwise k×k conv: k²·W per output pixel) plus in*out + out for the
 * linear layer; BN, ReLU and pooling add no flops; BN has 2 (affine) parameters per channel.
 * Every layer counts, also the reductions of nodes that no later layer reads.
 */

export interface EnasNetworkCostOptions {
  /**
   * C, channels of the stem and the first two layers (then 2C, 4C). Default 16: the train
   * evaluator's default `channels`, so a table's costs describe the network that evaluator
   * trains (ENAS's own final training uses 96).
   */
  readonly channels?: number;
  /** Output classes. Default 10. */
  readonly classes?: number;
  /** Input height = width; divisible by 4 (two reductions). Default 32 (CIFAR). */
  readonly imageSize?: number;
  /** Colour channels of the input. Default 3 (1 for Fashion-MNIST). */
  readonly inputChannels?: number;
}

export interface EnasNetworkCost {
  /** Multiply-accumulates. */
  readonly flops: number;
  readonly params: number;
}

export interface EnasLayerCost extends EnasNetworkCost {
  readonly name: string;
}

/** Layers after which every node is reduced (ENAS's pool_layers for 6 layers). */
export const ENAS_REDUCTION_AFTER_LAYERS: readonly number[] = [1, 3];

/** Kernel and kind of each ENAS op id (cell.ts's ENAS_OPERATIONS order). */
export const ENAS_OPERATION_SHAPES: readonly {
  readonly kind: "conv" | "separable" | "avgPool" | "maxPool";
  readonly kernel: number;
}[] = [
  { kind: "conv", kernel: 3 },
  { kind: "separable", kernel: 3 },
  { kind: "conv", kernel: 5 },
  { kind: "separable", kernel: 5 },
  { kind: "avgPool", kernel: 3 },
  { kind: "maxPool", kernel: 3 },
];

function conv(name: string, cin: number, cout: number, kernel: number, outSize: number) {
  const weights = cin * cout * kernel * kernel;
  return { name, flops: weights * outSize * outSize, params: weights };
}

function depthwise(name: string, channels: number, kernel: number, outSize: number) {
  const weights = channels * kernel * kernel;
  return { name, flops: weights * outSize * outSize, params: weights };
}

function batchNorm(name: string, channels: number): EnasLayerCost {
  return { name, flops: 0, params: 2 * channels };
}

function linear(name: string, inFeatures: number, outFeatures: number): EnasLayerCost {
  const size = inFeatures * outFeatures + outFeatures;
  return { name, flops: size, params: size };
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(
      `enasNetworkCost option ${name} must be a positive integer, got ${String(value)}`,
    );
  }
  return value;
}

/** Every layer of the ENAS-6 network that has a cost, in forward order. */
export function enasNetworkLayers(
  cell: EnasCell,
  options: EnasNetworkCostOptions = {},
): EnasLayerCost[] {
  const c = positiveInteger("channels", options.channels ?? 16);
  const classes = positiveInteger("classes", options.classes ?? 10);
  const imageSize = positiveInteger("imageSize", options.imageSize ?? 32);
  const inputChannels = positiveInteger("inputChannels", options.inputChannels ?? 3);
  if (imageSize % 4 !== 0) {
    throw new Error(`enasNetworkCost option imageSize must be divisible by 4, got ${imageSize}`);
  }
  if (cell.ops.length !== ENAS_LAYER_COUNT) {
    throw new Error(`an ENAS-6 cell has ${ENAS_LAYER_COUNT} layers, got ${cell.ops.length}`);
  }

  const layers: EnasLayerCost[] = [
    conv("stem.conv", inputChannels, c, 3, imageSize),
    batchNorm("stem.bn", c),
  ];
  let width = c;
  let size = imageSize;
  for (let i = 0; i < ENAS_LAYER_COUNT; i++) {
    const p = `layer${i}`;
    const op = ENAS_OPERATION_SHAPES[cell.ops[i] ?? -1];
    if (!op) throw new Error(`layer ${i} has unknown ENAS op id ${String(cell.ops[i])}`);
    const k = op.kernel;
    if (op.kind === "conv" || op.kind === "separable") {
      layers.push(conv(`${p}.conv1x1`, width, width, 1, size), batchNorm(`${p}.bn1x1`, width));
      if (op.kind === "conv") layers.push(conv(`${p}.conv${k}x${k}`, width, width, k, size));
      else {
        layers.push(
          depthwise(`${p}.depthwise${k}x${k}`, width, k, size),
          conv(`${p}.pointwise`, width, width, 1, size),
        );
      }
      layers.push(batchNorm(`${p}.bn`, width));
    }
    if (i > 0) {
      const skips = (cell.skips[i] ?? []).reduce((sum, bit) => sum + (bit === 1 ? 1 : 0), 0);
      layers.push(
        conv(`${p}.skip.conv`, (1 + skips) * width, width, 1, size),
        batchNorm(`${p}.skip.bn`, width),
      );
    }
    if (ENAS_REDUCTION_AFTER_LAYERS.includes(i)) {
      size /= 2;
      // Nodes 0 (stem) … i+1 (this layer) exist now.
      for (let node = 0; node <= i + 1; node++) {
        const r = `reduction${i}.node${node}`;
        layers.push(
          conv(`${r}.path1`, width, width, 1, size),
          conv(`${r}.path2`, width, width, 1, size),
          batchNorm(`${r}.bn`, 2 * width),
        );
      }
      width *= 2;
    }
  }
  layers.push(linear("head.classifier", width, classes));
  return layers;
}

/** Total FLOPs (MACs) and parameters of the ENAS-6 network for this cell. */
export function enasNetworkCost(
  cell: EnasCell,
  options: EnasNetworkCostOptions = {},
): EnasNetworkCost {
  let flops = 0;
  let params = 0;
  for (const layer of enasNetworkLayers(cell, options)) {
    flops += layer.flops;
    params += layer.params;
  }
  return { flops, params };
}
