/**
 * Child process of wasm-threads.test.ts: picks the backend as workers do (NASVAE_WASM_THREADS
 * from the parent), computes a conv2d and its gradients on it and on `cpu`, prints one JSON line,
 * then returns without exiting: the parent checks that the process ends by itself.
 */
import { describeBackend, setWasmThreads, tf } from "../src/index.ts";

const values = (size: number, seed: number) =>
  Array.from({ length: size }, (_, i) => Math.sin(seed * 12.9898 + i * 0.731) * 1.5);

/** conv2d and the gradients of Σ r ⊙ conv2d(x, w) for x and w (r: a fixed weighting). */
function conv2dAndGradients(): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor4d(values(4 * 16 * 16 * 8, 1), [4, 16, 16, 8]);
    const w = tf.tensor4d(values(3 * 3 * 8 * 16, 2), [3, 3, 8, 16]);
    const r = tf.tensor4d(values(4 * 8 * 8 * 16, 3), [4, 8, 8, 16]);
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, "same");
    const [dx, dw] = tf.grads((a, b) => tf.sum(tf.mul(f(a, b), r)))([x, w]);
    return [f(x, w), dx, dw].map((t) => (t as tf.Tensor).dataSync() as Float32Array);
  });
}

/** max |a − e| / max |e| over each output (backends sum in different orders). */
function relativeErrors(actual: Float32Array[], expected: Float32Array[]): number[] {
  return expected.map((e, k) => {
    const a = actual[k] as Float32Array;
    let worst = a.length === e.length ? 0 : Number.POSITIVE_INFINITY;
    let scale = 0;
    e.forEach((v, i) => {
      worst = Math.max(worst, Math.abs((a[i] as number) - v));
      scale = Math.max(scale, Math.abs(v));
    });
    return worst / scale;
  });
}

setWasmThreads(Number(process.env.NASVAE_WASM_THREADS ?? "1"));
const backend = await describeBackend();
const onBackend = conv2dAndGradients();
await tf.setBackend("cpu");
const onCpu = conv2dAndGradients();
console.log(JSON.stringify({ backend, errors: relativeErrors(onBackend, onCpu) }));
