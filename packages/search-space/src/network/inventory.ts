import { NB201_EDGES, type Nb201Cell } from "../nas-bench-201/cell.ts";
import type { Nb201Operation } from "../nas-bench-201/operations.ts";
import type { NetworkShape } from "./shapes.ts";

/*
 * The layer inventory: every layer of the NAS-Bench-201 macro network that owns parameters,
 * as plain data, in forward order. The network materialises its variables from it, and the
 * cost counter reads it, so costs of all 15,625 cells can be checked without building tensors.
 * Names match networkLayers() of @nasvae/search-space, layer for layer. The layer spec types
 * describe the ENAS-6 network's inventory too (enas-inventory.ts).
 */

/** A convolution without bias; filter [kernel, kernel, inChannels, outChannels] (HWIO). */
export interface ConvLayerSpec {
  readonly kind: "conv";
  readonly name: string;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: number;
  readonly stride: number;
  /** Height = width of its output. */
  readonly outSize: number;
}

/** A depthwise convolution (one k×k filter per channel, no bias); filter [kernel, kernel, channels, 1]. */
export interface DepthwiseConvLayerSpec {
  readonly kind: "depthwiseConv";
  readonly name: string;
  readonly channels: number;
  readonly kernel: number;
  readonly stride: number;
  /** Height = width of its output. */
  readonly outSize: number;
}

/** Batch normalisation with affine gamma/beta (parameters) and running statistics (not). */
export interface BatchNormLayerSpec {
  readonly kind: "batchNorm";
  readonly name: string;
  readonly channels: number;
}

/** The classifier: kernel [inFeatures, outFeatures] and a bias. */
export interface DenseLayerSpec {
  readonly kind: "dense";
  readonly name: string;
  readonly inFeatures: number;
  readonly outFeatures: number;
}

export type LayerSpec =
  | ConvLayerSpec
  | DepthwiseConvLayerSpec
  | BatchNormLayerSpec
  | DenseLayerSpec;

const CONV_KERNEL: Partial<Record<Nb201Operation, number>> = { nor_conv_1x1: 1, nor_conv_3x3: 3 };

/** Kernel size of a cell operation that convolves, undefined for pooling, skip and none. */
export function convKernel(op: Nb201Operation): number | undefined {
  return CONV_KERNEL[op];
}

/** Layer name prefixes, shared by the inventory and the forward pass that looks layers up. */
export const layerNames = {
  stemConv: "stem.conv",
  stemBatchNorm: "stem.bn",
  reduction: (stage: number) => `reduction${stage}`,
  edge: (stage: number, cell: number, from: number, to: number) =>
    `stage${stage + 1}.cell${cell}.edge${from}${to}`,
  headBatchNorm: "head.bn",
  classifier: "head.classifier",
} as const;

/** Channels and spatial size of stage 0, 1, 2. */
export function stageGeometry(shape: NetworkShape, stage: number) {
  return { channels: shape.channels * 2 ** stage, size: shape.imageSize / 2 ** stage };
}

/** Every parameterised layer of the network for `cell` and `shape`, in forward order. */
export function networkInventory(cell: Nb201Cell, shape: NetworkShape): LayerSpec[] {
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

  const c = shape.channels;
  const layers: LayerSpec[] = [
    conv(layerNames.stemConv, shape.inputChannels ?? 3, c, 3, 1, shape.imageSize),
    bn(layerNames.stemBatchNorm, c),
  ];
  for (let stage = 0; stage < 3; stage++) {
    const { channels, size } = stageGeometry(shape, stage);
    if (stage > 0) {
      const p = layerNames.reduction(stage);
      const cin = channels / 2;
      layers.push(
        conv(`${p}.conv_a`, cin, channels, 3, 2, size),
        bn(`${p}.bn_a`, channels),
        conv(`${p}.conv_b`, channels, channels, 3, 1, size),
        bn(`${p}.bn_b`, channels),
        conv(`${p}.shortcut`, cin, channels, 1, 1, size),
      );
    }
    for (let k = 0; k < shape.cellsPerStage; k++) {
      cell.edges.forEach((op, i) => {
        const kernel = convKernel(op);
        const edge = NB201_EDGES[i];
        if (kernel === undefined || edge === undefined) return;
        const p = layerNames.edge(stage, k, edge.from, edge.to);
        layers.push(
          conv(`${p}.${op}`, channels, channels, kernel, 1, size),
          bn(`${p}.bn`, channels),
        );
      });
    }
  }
  layers.push(bn(layerNames.headBatchNorm, 4 * c), {
    kind: "dense",
    name: layerNames.classifier,
    inFeatures: 4 * c,
    outFeatures: shape.classes,
  });
  return layers;
}
