import * as tf from "@tensorflow/tfjs";
import {
  floats,
  geometryOf,
  type KernelArgs,
  kernelCall,
  type WasmBackend,
  withTemporaries,
} from "./wasm-backend.ts";

interface Attrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  inputShape: [number, number, number, number];
}

/**
 * Conv2DBackpropInput as one forward Conv2D (XNNPACK) instead of the wasm backend's scalar loop:
 * dx is the convolution of dy (with stride-1 zeros inserted between its pixels when the stride is
 * above 1) with the filter rotated 180° and its channel axes swapped, [kh, kw, Cout, Cin], padded
 * by k-1-pad. Geometries that would need negative padding fall back to the original kernel.
 */
export function conv2DBackpropInput(original: tf.KernelFunc, backendName = "wasm"): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { inputs, attrs } = args;
    const backend = args.backend as WasmBackend;
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Attrs;
    const g = geometryOf(
      tf.backend_util.computeConv2DInfo(
        inputShape,
        filter.shape as [number, number, number, number],
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        tf.backend_util.convertConv2DDataFormat(dataFormat),
      ),
    );
    const spreadHeight = (g.outHeight - 1) * g.strideHeight + 1;
    const spreadWidth = (g.outWidth - 1) * g.strideWidth + 1;
    const top = g.filterHeight - 1 - g.padTop;
    const left = g.filterWidth - 1 - g.padLeft;
    const bottom = g.inHeight + g.filterHeight - 1 - spreadHeight - top;
    const right = g.inWidth + g.filterWidth - 1 - spreadWidth - left;
    if (Math.min(top, left, bottom, right) < 0) return original(args);

    const conv2d = kernelCall("Conv2D", backendName, backend);
    return withTemporaries(backend, (keep) => {
      const spread =
        g.strideHeight === 1 && g.strideWidth === 1 ? dy : keep(spreadPixels(backend, dy, g));
      const rotated = keep(rotateFilter(backend, filter));
      return conv2d(
        { x: spread, filter: rotated },
        {
          strides: [1, 1],
          pad: [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ],
          dataFormat: "NHWC",
          dilations: [1, 1],
        },
      );
    });
  };
}

/** dy with stride-1 zero rows and columns between its pixels. */
function spreadPixels(
  backend: WasmBackend,
  dy: tf.TensorInfo,
  g: ReturnType<typeof geometryOf>,
): tf.TensorInfo {
  const height = (g.outHeight - 1) * g.strideHeight + 1;
  const width = (g.outWidth - 1) * g.strideWidth + 1;
  const c = g.outChannels;
  const out = backend.makeOutput([g.batch, height, width, c], "float32");
  const target = floats(backend, out);
  const source = floats(backend, dy);
  target.fill(0);
  for (let b = 0; b < g.batch; b++) {
    for (let r = 0; r < g.outHeight; r++) {
      for (let col = 0; col < g.outWidth; col++) {
        const from = ((b * g.outHeight + r) * g.outWidth + col) * c;
        const to = ((b * height + r * g.strideHeight) * width + col * g.strideWidth) * c;
        target.set(source.subarray(from, from + c), to);
      }
    }
  }
  return out;
}

/** [kh, kw, Cin, Cout] → rotated 180° spatially, [kh, kw, Cout, Cin]. */
function rotateFilter(backend: WasmBackend, filter: tf.TensorInfo): tf.TensorInfo {
  const [kh, kw, cin, cout] = filter.shape as [number, number, number, number];
  const out = backend.makeOutput([kh, kw, cout, cin], "float32");
  const target = floats(backend, out);
  const source = floats(backend, filter);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const from = ((kh - 1 - i) * kw + (kw - 1 - j)) * cin * cout;
      const to = (i * kw + j) * cout * cin;
      for (let ci = 0; ci < cin; ci++) {
        for (let co = 0; co < cout; co++) {
          target[to + co * cin + ci] = source[from + ci * cout + co] as number;
        }
      }
    }
  }
  return out;
}
