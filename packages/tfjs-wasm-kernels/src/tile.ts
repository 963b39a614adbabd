import * as tf from "@tensorflow/tfjs";
import type { KernelArgs, WasmBackend } from "./wasm-backend.ts";

/**
 * Tile by block copies: each axis, innermost first, writes its first repetition and then
 * copies that block (copyWithin, a memmove) for the other repetitions. The wasm backend's
 * Tile computes every output element's source index separately. Strings fall back.
 */
export function tile(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === "string") return original(args);
    const backend = args.backend as WasmBackend;
    const { reps } = args.attrs as unknown as { reps: number[] };
    const inShape = x.shape;
    const outShape = inShape.map((size, i) => size * (reps[i] as number));
    const out = backend.makeOutput(outShape, x.dtype);
    const target = backend.typedArrayFromHeap(out);
    const source = backend.typedArrayFromHeap(x);
    if (target.length === 0) return out;
    const rank = inShape.length;
    // Output elements per step along each axis (row-major strides of the output).
    const outStride = tf.util.computeStrides(outShape);
    const inStride = tf.util.computeStrides(inShape);
    const fill = (axis: number, from: number, to: number): void => {
      const size = inShape[axis] as number;
      if (axis === rank - 1) {
        target.set(source.subarray(from, from + size), to);
      } else {
        for (let s = 0; s < size; s++) {
          fill(
            axis + 1,
            from + s * (inStride[axis] as number),
            to + s * (outStride[axis] as number),
          );
        }
      }
      const block = size * (axis === rank - 1 ? 1 : (outStride[axis] as number));
      for (let r = 1; r < (reps[axis] as number); r++)
        target.copyWithin(to + r * block, to, to + block);
    };
    if (rank === 0) target.set(source);
    else fill(0, 0, 0);
    return out;
  };
}
