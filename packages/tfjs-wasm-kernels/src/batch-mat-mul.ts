import * as tf from "@tensorflow/tfjs";

/**
 * The WASM backend's BatchMatMul is 4-6x slower when asked to transpose an operand than when
 * given an already transposed copy (measured here, 768x64 operands: 3.8 ms vs 0.6 ms), and every
 * matMul gradient asks for a transpose. This wraps the kernel: transposed operands are
 * transposed explicitly with the backend's own Transpose kernel first.
 */
export function patchBatchMatMul(backendName = "wasm"): void {
  const original = tf.getKernel("BatchMatMul", backendName);
  const transpose = tf.getKernel("Transpose", backendName);
  if (!original || !transpose)
    throw new Error(`the ${backendName} backend has no BatchMatMul or Transpose kernel`);
  if ((original.kernelFunc as { patched?: boolean }).patched) return;

  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as {
      transposeA: boolean;
      transposeB: boolean;
    };
    if (!transposeA && !transposeB) return original.kernelFunc({ inputs, backend, attrs });
    const temporaries: tf.TensorInfo[] = [];
    const swapLastTwo = (x: tf.TensorInfo) => {
      const perm = x.shape.map((_, i) => i);
      const last = perm.length - 1;
      [perm[last - 1], perm[last]] = [perm[last] as number, perm[last - 1] as number];
      const result = transpose.kernelFunc({
        inputs: { x },
        backend,
        attrs: { perm },
      }) as tf.TensorInfo;
      temporaries.push(result);
      return result;
    };
    const result = original.kernelFunc({
      inputs: { a: transposeA ? swapLastTwo(a) : a, b: transposeB ? swapLastTwo(b) : b },
      backend,
      attrs: { ...attrs, transposeA: false, transposeB: false },
    });
    for (const t of temporaries) (backend as tf.KernelBackend).disposeData(t.dataId);
    return result;
  };
  (kernelFunc as { patched?: boolean }).patched = true;
  tf.unregisterKernel("BatchMatMul", backendName);
  tf.registerKernel({ ...original, kernelFunc });
}
