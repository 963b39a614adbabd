import { patchWasmKernels } from "@nasvae/tfjs-wasm-kernels";
import * as tf from "@tensorflow/tfjs";

/** Backends in order of preference; the first that loads and initialises is used. */
const candidates = [
  // Native TensorFlow with CUDA: installed in the GPU worker image only.
  { name: "tensorflow", load: () => import("@tensorflow/tfjs-node-gpu" as string) },
  // Native TensorFlow on CPU, where its binary could be installed.
  { name: "tensorflow", load: () => import("@tensorflow/tfjs-node" as string) },
  // WebAssembly (SIMD, one thread in Node): ships with npm, works offline; ~30x the `cpu` backend.
  { name: "wasm", load: () => import("@tensorflow/tfjs-backend-wasm") },
  { name: "cpu", load: async () => undefined },
] as const;

let selected: Promise<string> | undefined;

/**
 * Picks the fastest TensorFlow.js backend that works here, once per process, and returns its
 * name: tfjs-node-gpu, then tfjs-node, then WASM, then the pure-JS `cpu` backend.
 * `NASVAE_TF_BACKEND` forces one (e.g. `cpu` to compare).
 */
export function ensureBackend(): Promise<string> {
  selected ??= (async () => {
    const forced = process.env.NASVAE_TF_BACKEND;
    for (const candidate of candidates) {
      if (forced && candidate.name !== forced) continue;
      try {
        await candidate.load();
        if (await tf.setBackend(candidate.name)) {
          await tf.ready();
          if (candidate.name === "wasm") patchWasmKernels();
          return tf.getBackend();
        }
      } catch {
        // Not installed, or its native library is missing: try the next one.
      }
    }
    throw new Error(
      `no TensorFlow.js backend could be initialised${forced ? ` (forced: ${forced})` : ""}`,
    );
  })();
  return selected;
}

export { tf };
