import { patchBatchMatMul } from "./batch-mat-mul.ts";

export { patchBatchMatMul };

/** The tfjs version these patches were written and tested against. */
export const PATCHED_TFJS_VERSION = "4.22.0";

/** Applies every patch to the WASM backend (idempotent). Call after the backend is registered. */
export function patchWasmKernels(): void {
  patchBatchMatMul("wasm");
}
