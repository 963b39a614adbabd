import type { LayerSpec } from "@nasvae/search-space";
import * as tf from "@tensorflow/tfjs";
import type { TrainableNetwork } from "./trainable-network.ts";

/*
 * FLOPs (multiply-accumulates, NB201's convention) and parameters, counted two ways: from the
 * layer inventory (pure data: fast enough for all 15,625 cells), and from a built network
 * (its variables' shapes and the output shapes a traced forward pass sees; a depthwise conv's
 * filter [k, k, C, 1] counts like any conv filter: k²·C per output pixel). Conventions as in
 * NB201's counter: a conv costs its filter size times its output pixels, the classifier
 * in*out + out; batch norm, ReLU and pooling cost nothing; batch norm has 2 parameters per
 * channel (gamma, beta; running statistics are not parameters).
 */

export interface ModelCost {
  readonly flops: number;
  readonly params: number;
}

/** Cost of one inventory layer. */
export function layerCost(layer: LayerSpec): ModelCost {
  switch (layer.kind) {
    case "conv": {
      const weights = layer.inChannels * layer.outChannels * layer.kernel * layer.kernel;
      return { flops: weights * layer.outSize * layer.outSize, params: weights };
    }
    case "depthwiseConv": {
      const weights = layer.channels * layer.kernel * layer.kernel;
      return { flops: weights * layer.outSize * layer.outSize, params: weights };
    }
    case "batchNorm":
      return { flops: 0, params: 2 * layer.channels };
    case "dense": {
      const size = layer.inFeatures * layer.outFeatures + layer.outFeatures;
      return { flops: size, params: size };
    }
  }
}

/** Total cost of an inventory. */
export function inventoryCost(layers: readonly LayerSpec[]): ModelCost {
  let flops = 0;
  let params = 0;
  for (const layer of layers) {
    const cost = layerCost(layer);
    flops += cost.flops;
    params += cost.params;
  }
  return { flops, params };
}

/**
 * Cost of a built network from what it really is: parameters = sizes of its trainable
 * variables; FLOPs = for each conv, filter size × output pixels seen in a traced forward pass
 * of one image (dead edges included), plus the classifier's kernel and bias sizes.
 * Per-layer results are returned too, by layer name.
 */
export function measuredCost(network: TrainableNetwork): ModelCost & {
  readonly layers: ReadonlyMap<string, ModelCost>;
} {
  const outputShapes = new Map<string, readonly number[]>();
  const { imageSize, inputChannels = 3 } = network.shape;
  tf.tidy(() => {
    network.apply(tf.zeros([1, imageSize, imageSize, inputChannels]), false, (name, shape) => {
      if (outputShapes.has(name)) throw new Error(`layer ${name} ran twice in one forward pass`);
      outputShapes.set(name, shape);
    });
  });

  const layers = new Map<string, { flops: number; params: number }>();
  const add = (layer: string, flops: number, params: number) => {
    const entry = layers.get(layer) ?? { flops: 0, params: 0 };
    entry.flops += flops;
    entry.params += params;
    layers.set(layer, entry);
  };
  for (const { name, variable } of network.trainableParameters()) {
    const layer = name.slice(0, name.lastIndexOf("."));
    const size = variable.size;
    const output = outputShapes.get(layer);
    if (variable.rank === 4) {
      if (!output) throw new Error(`conv ${layer} never ran in the traced forward pass`);
      const [, height = 0, width = 0] = output;
      add(layer, size * height * width, size);
    } else if (output)
      add(layer, size, size); // classifier kernel and bias (batch 1)
    else add(layer, 0, size); // batch norm gamma, beta
  }
  let flops = 0;
  let params = 0;
  for (const cost of layers.values()) {
    flops += cost.flops;
    params += cost.params;
  }
  return { flops, params, layers };
}
