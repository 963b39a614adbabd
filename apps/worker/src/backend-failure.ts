// A TensorFlow.js backend that ran out of memory is not an error of one job: the WebAssembly
// backend aborts its module ("Aborted()"), after which every operation throws, so every later
// job on the process would fail too. Such a worker stops taking jobs, says so on /readyz, and
// exits, so that its supervisor (compose's restart policy, a Deployment) replaces it.

/**
 * The messages of a backend out of memory: the WebAssembly module aborted (its heap could not
 * grow; every call after that throws the same), Emscripten's allocation failures, V8 refusing an
 * ArrayBuffer or a WebAssembly memory, and TensorFlow's native OOM (tfjs-node, tfjs-node-gpu).
 */
const OUT_OF_MEMORY = [
  /^Aborted\(/,
  /Cannot enlarge memory/i,
  /Out of memory/i,
  /\bOOM when allocating\b/,
  /Array buffer allocation failed/,
  /WebAssembly\.Memory.*(could not allocate|Maximum memory size exceeded)/i,
];

/** True for an error that means the process's tensor backend is out of memory, or aborted by it. */
export function isBackendOutOfMemory(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return OUT_OF_MEMORY.some((pattern) => pattern.test(error.message));
}
