import * as tf from "@tensorflow/tfjs";
import {
  type Conv2DGeometry,
  floats,
  geometryOf,
  type KernelArgs,
  type WasmBackend,
} from "./wasm-backend.ts";

interface Attrs {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
}

type Shape4 = [number, number, number, number];

function depthwiseGeometry(inputShape: Shape4, filterShape: Shape4, attrs: Attrs): Conv2DGeometry {
  const { strides, dilations, pad, dimRoundingMode } = attrs;
  return geometryOf(
    tf.backend_util.computeConv2DInfo(
      inputShape,
      filterShape,
      strides,
      dilations,
      pad,
      dimRoundingMode,
      true,
    ),
  );
}

/**
 * Visits every (input pixel, filter tap, output pixel) triple of a depthwise convolution that
 * lies inside the input: the loop both gradients share.
 */
function forEachTap(
  g: Conv2DGeometry,
  visit: (inputPixel: number, tap: number, outputPixel: number) => void,
): void {
  for (let b = 0; b < g.batch; b++) {
    for (let oh = 0; oh < g.outHeight; oh++) {
      for (let ow = 0; ow < g.outWidth; ow++) {
        const outputPixel = (b * g.outHeight + oh) * g.outWidth + ow;
        for (let i = 0; i < g.filterHeight; i++) {
          const h = oh * g.strideHeight + i * g.dilationHeight - g.padTop;
          if (h < 0 || h >= g.inHeight) continue;
          for (let j = 0; j < g.filterWidth; j++) {
            const w = ow * g.strideWidth + j * g.dilationWidth - g.padLeft;
            if (w < 0 || w >= g.inWidth) continue;
            visit((b * g.inHeight + h) * g.inWidth + w, i * g.filterWidth + j, outputPixel);
          }
        }
      }
    }
  }
}

/** DepthwiseConv2dNativeBackpropFilter (missing from the wasm backend), a direct loop. */
export function depthwiseConv2dBackpropFilter(): tf.KernelFunc {
  return (args: KernelArgs) => {
    const backend = args.backend as WasmBackend;
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const attrs = args.attrs as unknown as Attrs & { filterShape: Shape4 };
    const g = depthwiseGeometry(x.shape as Shape4, attrs.filterShape, attrs);
    const channels = g.inChannels;
    const multiplier = g.outChannels / channels;
    const out = backend.makeOutput(attrs.filterShape, "float32");
    const dw = floats(backend, out);
    const xs = floats(backend, x);
    const dys = floats(backend, dy);
    dw.fill(0);
    forEachTap(g, (inputPixel, tap, outputPixel) => {
      const xBase = inputPixel * channels;
      const dyBase = outputPixel * g.outChannels;
      const wBase = tap * g.outChannels;
      for (let k = 0; k < g.outChannels; k++) {
        dw[wBase + k] =
          (dw[wBase + k] as number) +
          (xs[xBase + Math.floor(k / multiplier)] as number) * (dys[dyBase + k] as number);
      }
    });
    return out;
  };
}

/** DepthwiseConv2dNativeBackpropInput (missing from the wasm backend), a direct loop. */
export function depthwiseConv2dBackpropInput(): tf.KernelFunc {
  return (args: KernelArgs) => {
    const backend = args.backend as WasmBackend;
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as Attrs & { inputShape: Shape4 };
    const g = depthwiseGeometry(attrs.inputShape, filter.shape as Shape4, attrs);
    const channels = g.inChannels;
    const multiplier = g.outChannels / channels;
    const out = backend.makeOutput(attrs.inputShape, "float32");
    const dx = floats(backend, out);
    const fs = floats(backend, filter);
    const dys = floats(backend, dy);
    dx.fill(0);
    forEachTap(g, (inputPixel, tap, outputPixel) => {
      const xBase = inputPixel * channels;
      const dyBase = outputPixel * g.outChannels;
      const wBase = tap * g.outChannels;
      for (let k = 0; k < g.outChannels; k++) {
        const c = xBase + Math.floor(k / multiplier);
        dx[c] = (dx[c] as number) + (fs[wBase + k] as number) * (dys[dyBase + k] as number);
      }
    });
    return out;
  };
}
