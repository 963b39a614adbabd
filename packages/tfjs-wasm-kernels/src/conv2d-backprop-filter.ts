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
 * columns the original convolution never reads are sliced off first. Pointwise (1×1, stride 1,
 * unpadded) convolutions take one matrix product instead.
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
    if (isPointwise(g)) return pointwiseFilterGradient(backend, x, dy, backendName);
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

/** A 1×1 convolution with stride 1 and no padding: every input pixel meets every filter tap once. */
function isPointwise(g: ReturnType<typeof geometryOf>): boolean {
  return (
    g.filterHeight === 1 &&
    g.filterWidth === 1 &&
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    g.padTop === 0 &&
    g.padLeft === 0 &&
    g.outHeight === g.inHeight &&
    g.outWidth === g.inWidth
  );
}

/**
 * The filter gradient of a pointwise convolution is one matrix product, dW = xᵀ·dy with x as
 * [B·H·W, Cin] and dy as [B·H·W, Cout]. The wasm BatchMatMul is several times slower when asked
 * to transpose an operand itself, so x is transposed here first. (The dilated-convolution route
 * re-packs dy as an H×W filter every call: 5-6x slower for the network's 1×1 convolutions.)
 */
function pointwiseFilterGradient(
  backend: WasmBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  backendName: string,
): tf.TensorInfo {
  const channels = x.shape[3] as number;
  const outChannels = dy.shape[3] as number;
  const pixels = tf.util.sizeFromShape(x.shape) / channels;
  const matMul = kernelCall("BatchMatMul", backendName, backend);
  return withTemporaries(backend, (keep) => {
    const xT = keep(backend.makeOutput([1, channels, pixels], "float32"));
    const target = floats(backend, xT);
    const source = floats(backend, x);
    // Blocks of pixels: each channel's strided reads stay in L1, its writes are sequential.
    for (let start = 0; start < pixels; start += 1024) {
      const end = Math.min(pixels, start + 1024) * channels;
      for (let c = 0; c < channels; c++) {
        let to = c * pixels + start;
        for (let from = start * channels + c; from < end; from += channels)
          target[to++] = source[from] as number;
      }
    }
    const product = matMul(
      { a: xT, b: { dataId: dy.dataId, shape: [1, pixels, outChannels], dtype: dy.dtype } },
      { transposeA: false, transposeB: false },
    );
    return { dataId: product.dataId, shape: [1, 1, channels, outChannels], dtype: "float32" };
  });
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
