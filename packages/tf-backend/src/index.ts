export { type BackendDescription, describeBackend, ensureBackend, tf } from "./backend.ts";
export {
  MAX_WASM_THREADS,
  requestedWasmThreads,
  setWasmBackend,
  setWasmThreads,
  type WasmThreads,
} from "./wasm-threads.ts";
