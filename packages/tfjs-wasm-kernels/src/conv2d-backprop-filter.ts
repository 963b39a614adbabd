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
  filterShape: [number, number, number, number];
}

/**
 * Conv2DBackpropFilter (missing from the wasm backend) as one forward Conv2D, so that XNNPACK
 * does the work: dW[i,j,ci,co] = Σ_{b,oh,ow} xpad[b, oh·s+i, ow·s+j, ci] · dy[b,oh,ow,co] is a
 * convolution of x transposed to [Cin, H, W, B] (batch Cin, channels B) with dy transposed to
 * [Ho, Wo, B, Cout] as the filter, dilated by the stride; its output is [Cin, kh, kw, Cout].
 * The padding of the original convolution is passed through as explicit padding; rows and
 * columns the original convolution never reads are sliced off first.
 */
export function conv2DBackpropFilter(backendName = "wasm"): tf.KernelFunc {
  return ({ inputs, backend: anyBackend, attrs }: KernelArgs) => {
    const backend = anyBackend as WasmBackend;
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Attrs;
    const g = geometryOf(
      tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        tf.backend_util.convertConv2DDataFormat(dataFormat),
      ),
    );
    const transpose = kernelCall("Transpose", backendName, backend);
    const slice = kernelCall("Slice", backendName, backend);
    const conv2d = kernelCall("Conv2D", backendName, backend);
    return withTemporaries(backend, (keep) => {
      // Input rows/columns the convolution reads: (k-1) + (out-1)·stride + 1 from the padded top.
      const rowsRead = g.filterHeight + (g.outHeight - 1) * g.strideHeight - g.padTop;
      const colsRead = g.filterWidth + (g.outWidth - 1) * g.strideWidth - g.padLeft;
      let input = x;
      if (rowsRead < g.inHeight || colsRead < g.inWidth) {
        input = keep(
          slice(
            { x },
            {
              begin: [0, 0, 0, 0],
              size: [g.batch, Math.min(rowsRead, g.inHeight), Math.min(colsRead, g.inWidth), -1],
            },
          ),
        );
      }
      const [, height, width] = input.shape as number[];
      const xT = keep(batchToChannels(backend, input));
      const dyT = keep(transpose({ x: dy }, { perm: [1, 2, 0, 3] }));
      const padding = [
        [0, 0],
        [g.padTop, rowsRead - (height as number)],
        [g.padLeft, colsRead - (width as number)],
        [0, 0],
      ];
      const dWT = keep(
        conv2d(
          { x: xT, filter: dyT },
          {
            strides: [1, 1],
            pad: padding,
            dataFormat: "NHWC",
            dilations: [g.strideHeight, g.strideWidth],
          },
        ),
      );
      return transpose({ x: dWT }, { perm: [1, 2, 0, 3] });
    });
  };
}

/**
 * [B, H, W, C] → [C, H, W, B]. The wasm backend's generic Transpose takes ~20x a copy for this
 * permutation; here each pixel's B×C block is transposed with contiguous writes, and the B
 * rows it reads (one cache line each for small C) stay in L1 across the channel loop.
 */
function batchToChannels(backend: WasmBackend, x: tf.TensorInfo): tf.TensorInfo {
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const pixels = height * width;
  const out = backend.makeOutput([channels, height, width, batch], "float32");
  const target = floats(backend, out);
  const source = floats(backend, x);
  const rowStride = pixels * channels;
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < channels; c++) {
      const to = (c * pixels + p) * batch;
      let from = p * channels + c;
      for (let b = 0; b < batch; b++, from += rowStride) target[to + b] = source[from] as number;
    }
  }
  return out;
}
