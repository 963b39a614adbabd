import * as tf from "@tensorflow/tfjs";
import type { KernelArgs, WasmBackend } from "./wasm-backend.ts";

/**
 * UnsortedSegmentSum (missing from the wasm backend; tf.gather's gradient uses it):
 * out[s, ...] = Σ_{i: segmentIds[i] = s} x[i, ...], for segment ids over x's leading axes.
 * Ids outside [0, numSegments) are dropped, as TensorFlow does.
 */
export function unsortedSegmentSum(): tf.KernelFunc {
  return (args: KernelArgs) => {
    const backend = args.backend as WasmBackend;
    const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
    const { numSegments } = args.attrs as unknown as { numSegments: number };
    const idCount = tf.util.sizeFromShape(segmentIds.shape);
    const rowShape = x.shape.slice(segmentIds.shape.length);
    const rowSize = tf.util.sizeFromShape(rowShape);
    const out = backend.makeOutput([numSegments, ...rowShape], x.dtype);
    const target = backend.typedArrayFromHeap(out);
    const source = backend.typedArrayFromHeap(x);
    const ids = backend.typedArrayFromHeap(segmentIds);
    target.fill(0);
    for (let i = 0; i < idCount; i++) {
      const segment = ids[i] as number;
      if (segment < 0 || segment >= numSegments) continue;
      const to = segment * rowSize;
      const from = i * rowSize;
      for (let k = 0; k < rowSize; k++) {
        target[to + k] = (target[to + k] as number) + (source[from + k] as number);
      }
    }
    return out;
  };
}
