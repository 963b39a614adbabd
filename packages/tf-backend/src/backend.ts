import { patchWasmKernels } from "@nasvae/tfjs-wasm-kernels";
import * as tf from "@tensorflow/tfjs";
import { setWasmBackend, type WasmThreads } from "./wasm-threads.ts";

/** What ensureBackend picked: the backend, and the threads it computes on where we set them. */
export interface BackendDescription {
  name: string;
  /** wasm: its threads (setWasmThreads); cpu: 1; tensorflow: undefined (its own pool). */
  threads?: number;
  /** Why wasm has fewer threads than asked for, if it has. */
  note?: string;
}

/** Backends in order of preference; the first that loads and initialises is used. */
const candidates: {
  name: string;
  load: () => Promise<unknown>;
  /** Sets the backend; undefined when it does not start. Default: tf.setBackend(name). */
  start?: () => Promise<WasmThreads | undefined>;
}[] = [
  // Native TensorFlow with CUDA: installed in the GPU worker image only.
  { name: "tensorflow", load: () => import("@tensorflow/tfjs-node-gpu" as string) },
  // Native TensorFlow on CPU, where its binary could be installed.
  { name: "tensorflow", load: () => import("@tensorflow/tfjs-node" as string) },
  // WebAssembly (SIMD, setWasmThreads threads, see wasm-threads.ts): ships with npm, works
  // offline; ~30x the `cpu` backend on one thread.
  { name: "wasm", load: () => import("@tensorflow/tfjs-backend-wasm"), start: setWasmBackend },
  { name: "cpu", load: async () => undefined },
];

let selected: Promise<BackendDescription> | undefined;

/**
 * Picks the fastest TensorFlow.js backend that works here, once per process, and describes it:
 * tfjs-node-gpu, then tfjs-node, then WASM, then the pure-JS `cpu` backend.
 * `NASVAE_TF_BACKEND` forces one (e.g. `cpu` to compare).
 */
export function describeBackend(): Promise<BackendDescription> {
  selected ??= (async () => {
    const forced = process.env.NASVAE_TF_BACKEND;
    for (const candidate of candidates) {
      if (forced && candidate.name !== forced) continue;
      try {
        await candidate.load();
        const started = candidate.start
          ? await candidate.start()
          : (await tf.setBackend(candidate.name)) && {};
        if (started) {
          await tf.ready();
          if (candidate.name === "wasm") patchWasmKernels();
          const name = tf.getBackend();
          return { name, ...(name === "cpu" ? { threads: 1 } : {}), ...started };
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

/** Sets up the backend describeBackend picks and returns its name. */
export async function ensureBackend(): Promise<string> {
  return (await describeBackend()).name;
}

export { tf };
