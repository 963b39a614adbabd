import * as tf from "@tensorflow/tfjs";
import { forEachWindow } from "./pool-windows.ts";
import { floats, geometryOf, type KernelArgs, type WasmBackend } from "./wasm-backend.ts";

interface Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
}

/**
 * MaxPoolGrad: dy goes to the first maximum of each window. Replaces the wasm backend's
 * kernel, which starts its search for the maximum at 0 and so drops the gradient of every
 * window whose maximum is negative.
 */
export function maxPoolGrad(): tf.KernelFunc {
  return (args: KernelArgs) => {
    const backend = args.backend as WasmBackend;
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as Attrs;
    const g = geometryOf(
      tf.backend_util.computePool2DInfo(
        input.shape as [number, number, number, number],
        filterSize,
        strides,
        1,
        pad,
        dimRoundingMode,
      ),
    );
    const channels = g.inChannels;
    const out = backend.makeOutput(input.shape, "float32");
    const dx = floats(backend, out);
    const xs = floats(backend, input);
    const dys = floats(backend, dy);
    dx.fill(0);
    forEachWindow(g, (outputPixel, taps, count) => {
      for (let c = 0; c < channels; c++) {
        let best = Number.NEGATIVE_INFINITY;
        let at = -1;
        for (let t = 0; t < count; t++) {
          const index = (taps[t] as number) * channels + c;
          const value = xs[index] as number;
          if (value > best) {
            best = value;
            at = index;
          }
        }
        if (at >= 0) dx[at] = (dx[at] as number) + (dys[outputPixel * channels + c] as number);
      }
    });
    return out;
  };
}
