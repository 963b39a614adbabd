import type * as tf from "@tensorflow/tfjs";
import type { KernelArgs } from "./wasm-backend.ts";

/**
 * Identity that shares the input's buffer (reference counted, as the wasm backend's Reshape
 * already does) instead of copying it. The engine clones every tensor a gradient will need
 * while a tape records, so the copying kernel cost one full copy of most activations per
 * training step. Sharing is safe because wasm kernels never write into their inputs.
 */
export function identity(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === "string") return original(args);
    (args.backend as tf.KernelBackend & { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
