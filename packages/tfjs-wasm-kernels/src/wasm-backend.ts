import * as tf from "@tensorflow/tfjs";

/** The parts of tfjs-backend-wasm's BackendWasm (4.22.0) that kernels written in TS rely on. */
export interface WasmBackend extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A view on the WASM heap: take it after every allocation (makeOutput may grow the heap). */
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

export type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Calls another kernel of the same backend directly (no tape, no engine bookkeeping). */
export type KernelCall = (inputs: tf.NamedTensorInfoMap, attrs?: object) => tf.TensorInfo;

/** The kernel `name` of `backendName`, as a direct call; a clear error when the backend lacks it. */
export function kernelCall(
  name: string,
  backendName: string,
  backend: tf.KernelBackend,
): KernelCall {
  const kernel = tf.getKernel(name, backendName);
  if (!kernel) throw new Error(`the ${backendName} backend has no ${name} kernel`);
  return (inputs, attrs = {}) =>
    kernel.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
}

/**
 * Runs `body` with a list that collects intermediate results; they are released when it
 * returns (the result it returns must not be in the list).
 */
export function withTemporaries<T>(
  backend: tf.KernelBackend,
  body: (keep: (t: tf.TensorInfo) => tf.TensorInfo) => T,
): T {
  const temporaries: tf.TensorInfo[] = [];
  try {
    return body((t) => {
      temporaries.push(t);
      return t;
    });
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/** Float32 heap view of a tensor of the wasm backend. */
export function floats(backend: WasmBackend, info: tf.TensorInfo): Float32Array {
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Float32Array))
    throw new Error(`expected a float32 tensor, got ${info.dtype}`);
  return view;
}

/** Registers `kernelFunc` as `name` on `backendName`, replacing any kernel registered there. */
export function replaceKernel(name: string, backendName: string, kernelFunc: tf.KernelFunc): void {
  const existing = tf.getKernel(name, backendName);
  if (existing) tf.unregisterKernel(name, backendName);
  tf.registerKernel({ kernelName: name, backendName, kernelFunc });
}

/** Spatial geometry of an NHWC convolution or pooling, with padding resolved to numbers. */
export interface Conv2DGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
}

export function geometryOf(info: tf.backend_util.Conv2DInfo): Conv2DGeometry {
  if (info.dataFormat !== "channelsLast")
    throw new Error("the wasm kernel patches support dataFormat NHWC only");
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}
