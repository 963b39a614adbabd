import * as tf from "@tensorflow/tfjs";
import {
  type Conv2DGeometry,
  floats,
  geometryOf,
  type KernelArgs,
  kernelCall,
  type WasmBackend,
  withTemporaries,
} from "./wasm-backend.ts";

interface Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
}

/** Taps of each window position along one axis that fall inside the input. */
function tapsInside(outSize: number, inSize: number, kernel: number, stride: number, pad: number) {
  return Array.from({ length: outSize }, (_, o) => {
    const first = o * stride - pad;
    return Math.max(0, Math.min(inSize, first + kernel) - Math.max(0, first));
  });
}

/**
 * AvgPoolGrad consistent with AvgPool: the forward pass (XNNPACK here, and the cpu backend)
 * averages over the taps inside the input only, so each window's dy is shared among those taps.
 * tfjs's own AvgPoolGrad (cpu and wasm) divides by the full window size, which is wrong at the
 * borders under `same` padding (PyTorch's count_include_pad=False, which NAS-Bench-201 uses).
 * Windows are rectangles and their counts products of per-axis counts, so the gradient is
 * spread along W, then along H: two passes of simple loops.
 */
export function avgPoolGrad(backendName = "wasm"): tf.KernelFunc {
  return (args: KernelArgs) => {
    const backend = args.backend as WasmBackend;
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const { filterSize, strides, pad } = args.attrs as unknown as Attrs;
    const g = geometryOf(
      tf.backend_util.computePool2DInfo(
        input.shape as [number, number, number, number],
        filterSize,
        strides,
        1,
        pad,
      ),
    );
    if (isSymmetricStrideOne(g))
      return viaForwardPool(backend, dy, g, args.attrs ?? {}, backendName);
    const { batch, inHeight: h, inWidth: w, outHeight: ho, outWidth: wo, inChannels: c } = g;
    const rowCounts = tapsInside(ho, h, g.filterHeight, g.strideHeight, g.padTop);
    const colCounts = tapsInside(wo, w, g.filterWidth, g.strideWidth, g.padLeft);
    const out = backend.makeOutput(input.shape, "float32");
    const dx = floats(backend, out);
    const dys = floats(backend, dy);

    // Along W: t[b, oh, x, :] = Σ over windows ow covering column x of dy[b, oh, ow, :] / count.
    const t = new Float32Array(batch * ho * w * c);
    for (let row = 0; row < batch * ho; row++) {
      for (let ow = 0; ow < wo; ow++) {
        const count = colCounts[ow] as number;
        if (count === 0) continue;
        const share = 1 / count;
        const from = (row * wo + ow) * c;
        const first = ow * g.strideWidth - g.padLeft;
        for (let x = Math.max(0, first); x < Math.min(w, first + g.filterWidth); x++) {
          const to = (row * w + x) * c;
          for (let k = 0; k < c; k++)
            t[to + k] = (t[to + k] as number) + (dys[from + k] as number) * share;
        }
      }
    }
    // Along H: whole rows of W·C values at a time.
    const rowSize = w * c;
    dx.fill(0);
    for (let b = 0; b < batch; b++) {
      for (let oh = 0; oh < ho; oh++) {
        const count = rowCounts[oh] as number;
        if (count === 0) continue;
        const share = 1 / count;
        const from = (b * ho + oh) * rowSize;
        const first = oh * g.strideHeight - g.padTop;
        for (let y = Math.max(0, first); y < Math.min(h, first + g.filterHeight); y++) {
          const to = (b * h + y) * rowSize;
          for (let k = 0; k < rowSize; k++)
            dx[to + k] = (dx[to + k] as number) + (t[from + k] as number) * share;
        }
      }
    }
    return out;
  };
}

/** Stride 1 with each window centred on its pixel (odd window, `same` padding). */
function isSymmetricStrideOne(g: Conv2DGeometry): boolean {
  return (
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    g.filterHeight % 2 === 1 &&
    g.filterWidth % 2 === 1 &&
    g.padTop === (g.filterHeight - 1) / 2 &&
    g.padLeft === (g.filterWidth - 1) / 2 &&
    g.outHeight === g.inHeight &&
    g.outWidth === g.inWidth
  );
}

/**
 * For centred stride-1 windows, pixel p's window is exactly the set of windows that read p, so
 * dx[p] = Σ_{q ∈ window(p)} dy[q] / count(q) = count(p) · avgPool(dy / count)[p]: the forward
 * average pooling (XNNPACK) between two per-pixel scalings.
 */
function viaForwardPool(
  backend: WasmBackend,
  dy: tf.TensorInfo,
  g: Conv2DGeometry,
  attrs: object,
  backendName: string,
): tf.TensorInfo {
  const avgPool = kernelCall("AvgPool", backendName, backend);
  const { batch, inHeight: h, inWidth: w, inChannels: c } = g;
  const rows = tapsInside(h, h, g.filterHeight, 1, g.padTop);
  const cols = tapsInside(w, w, g.filterWidth, 1, g.padLeft);
  const scaleByCount = (x: tf.TensorInfo, inverse: boolean) => {
    const out = backend.makeOutput(x.shape, "float32");
    const target = floats(backend, out);
    const source = floats(backend, x);
    for (let b = 0; b < batch; b++) {
      for (let y = 0; y < h; y++) {
        for (let x0 = 0; x0 < w; x0++) {
          const count = (rows[y] as number) * (cols[x0] as number);
          const factor = inverse ? 1 / count : count;
          const at = ((b * h + y) * w + x0) * c;
          for (let k = at; k < at + c; k++) target[k] = (source[k] as number) * factor;
        }
      }
    }
    return out;
  };
  return withTemporaries(backend, (keep) => {
    const shared = keep(scaleByCount(dy, true));
    const pooled = keep(avgPool({ x: shared }, attrs));
    return scaleByCount(pooled, false);
  });
}
