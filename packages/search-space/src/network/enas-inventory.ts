import {
  ENAS_LAYER_COUNT,
  ENAS_OPERATIONS,
  type EnasCell,
  type EnasOperation,
} from "../enas-macro-6/cell.ts";
import type { BatchNormLayerSpec, ConvLayerSpec, LayerSpec } from "./inventory.ts";
import type { EnasNetworkShape } from "./shapes.ts";

/*
 * The layer inventory of the ENAS-6 macro child network (enas-network.ts): every layer that
 * owns parameters, as plain data, in forward order. Names match enasNetworkLayers() of
 * @nasvae/search-space (enas-macro-6/cost.ts), layer for layer.
 */

/** What an ENAS op computes: a conv or separable conv of a kernel size, or a 3x3 pool. */
export interface EnasOperationShape {
  readonly kind: "conv" | "separable" | "avgPool" | "maxPool";
  readonly kernel: number;
}

const OPERATION_SHAPES: Record<EnasOperation, EnasOperationShape> = {
  conv3x3: { kind: "conv", kernel: 3 },
  sep_conv3x3: { kind: "separable", kernel: 3 },
  conv5x5: { kind: "conv", kernel: 5 },
  sep_conv5x5: { kind: "separable", kernel: 5 },
  avg_pool3x3: { kind: "avgPool", kernel: 3 },
  max_pool3x3: { kind: "maxPool", kernel: 3 },
};

/** Layer i's operation; throws on an op id outside ENAS_OPERATIONS. */
export function enasOperationShape(cell: EnasCell, layer: number): EnasOperationShape {
  const name = ENAS_OPERATIONS[cell.ops[layer] ?? -1];
  if (name === undefined) {
    throw new Error(`ENAS layer ${layer} has unknown op id ${String(cell.ops[layer])}`);
  }
  return OPERATION_SHAPES[name];
}

/** Layers after which every node is reduced to half the size, twice the channels. */
export const ENAS_REDUCTION_LAYERS: readonly number[] = [1, 3];

/** Layer names, shared by the inventory and the forward pass that looks layers up. */
export const enasLayerNames = {
  stemConv: "stem.conv",
  stemBatchNorm: "stem.bn",
  /** ENAS's 1×1 conv + BN in front of a conv op. */
  inputConv: (layer: number) => `layer${layer}.conv1x1`,
  inputBatchNorm: (layer: number) => `layer${layer}.bn1x1`,
  conv: (layer: number, kernel: number) => `layer${layer}.conv${kernel}x${kernel}`,
  depthwise: (layer: number, kernel: number) => `layer${layer}.depthwise${kernel}x${kernel}`,
  pointwise: (layer: number) => `layer${layer}.pointwise`,
  opBatchNorm: (layer: number) => `layer${layer}.bn`,
  skipConv: (layer: number) => `layer${layer}.skip.conv`,
  skipBatchNorm: (layer: number) => `layer${layer}.skip.bn`,
  /** Factorised reduction of `node` after `layer`: two 1×1 convs on shifted grids, one BN. */
  reductionPath: (layer: number, node: number, path: 1 | 2) =>
    `reduction${layer}.node${node}.path${path}`,
  reductionBatchNorm: (layer: number, node: number) => `reduction${layer}.node${node}.bn`,
  classifier: "head.classifier",
} as const;

/** Number of skip bits set for layer i (its extra inputs). */
export function skipCount(cell: EnasCell, layer: number): number {
  return (cell.skips[layer] ?? []).filter((bit) => bit === 1).length;
}

/** Every parameterised layer of the ENAS-6 network for `cell` and `shape`, in forward order. */
export function enasNetworkInventory(cell: EnasCell, shape: EnasNetworkShape): LayerSpec[] {
  if (cell.ops.length !== ENAS_LAYER_COUNT) {
    throw new Error(`an ENAS-6 cell has ${ENAS_LAYER_COUNT} layers, got ${cell.ops.length}`);
  }
  const conv = (
    name: string,
    inChannels: number,
    outChannels: number,
    kernel: number,
    stride: number,
    outSize: number,
  ): ConvLayerSpec => ({ kind: "conv", name, inChannels, outChannels, kernel, stride, outSize });
  const bn = (name: string, channels: number): BatchNormLayerSpec => ({
    kind: "batchNorm",
    name,
    channels,
  });
  const names = enasLayerNames;

  let width = shape.channels;
  let size = shape.imageSize;
  const layers: LayerSpec[] = [
    conv(names.stemConv, shape.inputChannels ?? 3, width, 3, 1, size),
    bn(names.stemBatchNorm, width),
  ];
  for (let i = 0; i < ENAS_LAYER_COUNT; i++) {
    const op = enasOperationShape(cell, i);
    const k = op.kernel;
    if (op.kind === "conv" || op.kind === "separable") {
      layers.push(
        conv(names.inputConv(i), width, width, 1, 1, size),
        bn(names.inputBatchNorm(i), width),
      );
      if (op.kind === "conv") layers.push(conv(names.conv(i, k), width, width, k, 1, size));
      else {
        layers.push(
          {
            kind: "depthwiseConv",
            name: names.depthwise(i, k),
            channels: width,
            kernel: k,
            stride: 1,
            outSize: size,
          },
          conv(names.pointwise(i), width, width, 1, 1, size),
        );
      }
      layers.push(bn(names.opBatchNorm(i), width));
    }
    if (i > 0) {
      const inChannels = (1 + skipCount(cell, i)) * width;
      layers.push(
        conv(names.skipConv(i), inChannels, width, 1, 1, size),
        bn(names.skipBatchNorm(i), width),
      );
    }
    if (ENAS_REDUCTION_LAYERS.includes(i)) {
      size /= 2;
      for (let node = 0; node <= i + 1; node++) {
        layers.push(
          conv(names.reductionPath(i, node, 1), width, width, 1, 2, size),
          conv(names.reductionPath(i, node, 2), width, width, 1, 2, size),
          bn(names.reductionBatchNorm(i, node), 2 * width),
        );
      }
      width *= 2;
    }
  }
  layers.push({
    kind: "dense",
    name: names.classifier,
    inFeatures: width,
    outFeatures: shape.classes,
  });
  return layers;
}
