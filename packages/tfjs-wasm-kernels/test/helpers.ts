import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
// The backend's thread set-up, as ensureBackend does it (a test-only import across packages:
// @nasvae/tf-backend depends on this package).
import {
  MAX_WASM_THREADS,
  setWasmBackend,
  setWasmThreads,
} from "../../tf-backend/src/wasm-threads.ts";
import { patchWasmKernels } from "../src/index.ts";

/**
 * Selects the patched wasm backend, on NASVAE_WASM_THREADS threads (default 1; run with 2 too
 * to test the threaded build). Fails rather than test another thread count.
 */
export async function useWasm(): Promise<void> {
  const requested = Number(process.env.NASVAE_WASM_THREADS ?? "1");
  setWasmThreads(requested);
  const started = await setWasmBackend();
  if (!started) throw new Error("the wasm backend did not start");
  const expected = Math.min(requested, MAX_WASM_THREADS);
  assert.equal(started.threads, expected, `wasm threads (${started.note ?? "no note"})`);
  await tf.setBackend("wasm");
  await tf.ready();
  patchWasmKernels();
}

/** Deterministic, varied values of either sign (no two equal, so max-pool ties do not occur). */
export function values(size: number, seed = 1): number[] {
  return Array.from({ length: size }, (_, i) => Math.sin(seed * 12.9898 + i * 0.731) * 1.5);
}

/** Runs `f` on a backend and returns its results as plain arrays. */
export async function on(backend: string, f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  await tf.ready();
  return tf.tidy(() => f().map((t) => t.dataSync() as Float32Array));
}

/**
 * max |a − e| / max |e|: the relative error of the whole output. Backends sum in different
 * orders, so an element's float32 error scales with the magnitude of the sums, not with its own
 * value (which may be near 0).
 */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    worst = Math.max(worst, Math.abs((actual[i] as number) - e));
    scale = Math.max(scale, Math.abs(e));
  }
  return scale === 0 ? worst : worst / scale;
}

/**
 * Runs `f` on cpu and on the patched wasm backend, asserts every output agrees within relative
 * error 1e-5, and that the wasm run leaves no tensor behind.
 */
export async function assertMatchesCpu(f: () => tf.Tensor[], tolerance = 1e-5): Promise<void> {
  const expected = await on("cpu", f);
  await useWasm();
  const before = tf.memory().numTensors;
  const actual = await on("wasm", f);
  assert.equal(tf.memory().numTensors, before, "tensors leaked");
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) => {
    const a = actual[i] as Float32Array;
    assert.equal(a.length, e.length, `output ${i} has ${a.length} values, expected ${e.length}`);
    const error = relativeError(a, e);
    assert.ok(error <= tolerance, `output ${i}: relative error ${error} > ${tolerance}`);
  });
}

/**
 * Gradients of Σ r ⊙ f(inputs) with respect to every input, r a fixed varied weighting, so that
 * the upstream gradient dy is not uniform.
 */
export function gradientsOf(
  f: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: { shape: number[]; seed: number }[],
): () => tf.Tensor[] {
  return () => {
    const tensors = inputs.map(({ shape, seed }) =>
      tf.tensor(
        values(
          shape.reduce((a, b) => a * b, 1),
          seed,
        ),
        shape,
      ),
    );
    const weighted = (...xs: tf.Tensor[]) => {
      const y = f(...xs);
      return tf.sum(tf.mul(y, tf.tensor(values(y.size, 99), y.shape)));
    };
    return tf.grads(weighted)(tensors);
  };
}
