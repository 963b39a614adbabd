import {
  batchNormTrain as fusedBatchNormTrain,
  hasFusedBatchNormTrain,
} from "@nasvae/tfjs-wasm-kernels";
import * as tf from "@tensorflow/tfjs";

/*
 * Every primitive the networks (NAS-Bench-201, ENAS-6) compute goes through this module, so faster
 * kernels (fused ops, custom gradients) can be routed in here without touching the network.
 * Tensors are NHWC float32. Functions neither keep nor dispose their inputs.
 */

/** PyTorch's BatchNorm2d epsilon. */
export const BATCH_NORM_EPSILON = 1e-5;

/**
 * 2-D convolution without bias, zero padding `padding` on every side (PyTorch's `padding`).
 * x [B, H, W, Cin], filter [k, k, Cin, Cout] → [B, H', W', Cout], H' = (H + 2p - k) / s + 1.
 */
export function conv2d(x: tf.Tensor4D, filter: tf.Tensor4D, stride: number, padding: number) {
  const kernel = filter.shape[0];
  // Stride 1 with p = (k-1)/2 is TF's "same"; stride 2 needs explicit symmetric padding
  // (TF's "same" would pad bottom/right only and shift the sampling grid against PyTorch).
  const pad =
    stride === 1 && 2 * padding === kernel - 1
      ? "same"
      : ([
          [0, 0],
          [padding, padding],
          [padding, padding],
          [0, 0],
        ] as [[number, number], [number, number], [number, number], [number, number]]);
  return tf.conv2d(x, filter, stride, pad);
}

/**
 * Depthwise convolution without bias, "same" zero padding (the separable convs of ENAS).
 * x [B, H, W, C], filter [k, k, C, 1] → [B, H/s, W/s, C]; k odd.
 */
export function depthwiseConv2d(x: tf.Tensor4D, filter: tf.Tensor4D, stride: number) {
  return tf.depthwiseConv2d(x, filter, stride, "same");
}

/** max(x, 0). */
export function relu<T extends tf.Tensor>(x: T): T {
  return tf.relu(x);
}

/** Element-wise sum of same-shaped tensors (one or more). */
export function addAll(xs: readonly tf.Tensor4D[]): tf.Tensor4D {
  if (xs.length === 1 && xs[0]) return xs[0];
  return tf.addN(xs as tf.Tensor4D[]);
}

/** Zeros shaped like x: the output of NB201's `none` operation. */
export function zerosLike(x: tf.Tensor4D): tf.Tensor4D {
  return tf.zerosLike(x);
}

/**
 * Batch normalisation with batch statistics (training mode): per-channel mean and biased
 * variance over B, H, W. Also returns those statistics for the caller's running averages
 * (no gradient flows through them). gamma, beta [C].
 * Its gradient is the closed form of batch norm's backward pass (tfjs's FusedBatchNorm
 * gradient goes through Tile, slow on WASM, and then back through tf.moments):
 *   dx = gamma / σ · (dy − mean(dy) − x̂ · mean(dy · x̂)),  dgamma = Σ dy · x̂,  dbeta = Σ dy.
 */
export function batchNormTrain(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
): { output: tf.Tensor4D; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  // Patched WASM: one fused kernel forward, one backward (@nasvae/tfjs-wasm-kernels).
  if (hasFusedBatchNormTrain()) return fusedBatchNormTrain(x, gamma, beta, BATCH_NORM_EPSILON);
  const axes = [0, 1, 2];
  let kept: [tf.Tensor1D, tf.Tensor1D] | undefined;
  const normalize = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, scale, offset, save] = args as [
      tf.Tensor4D,
      tf.Tensor1D,
      tf.Tensor1D,
      tf.GradSaveFunc,
    ];
    const moments = tf.moments(input, axes);
    const inverseStd = tf.rsqrt(tf.add(moments.variance, BATCH_NORM_EPSILON));
    const normalized = tf.mul(tf.sub(input, moments.mean), inverseStd);
    save([normalized, inverseStd, scale]);
    // The forward pass runs in its own tidy: keep the statistics past it (released below).
    kept = [tf.keep(moments.mean as tf.Tensor1D), tf.keep(moments.variance as tf.Tensor1D)];
    return {
      value: tf.add(tf.mul(normalized, scale), offset) as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [xHat, invStd, g] = saved as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D];
        const dyXHat = tf.mul(dy, xHat);
        const centered = tf.sub(tf.sub(dy, tf.mean(dy, axes)), tf.mul(xHat, tf.mean(dyXHat, axes)));
        return [tf.mul(centered, tf.mul(g, invStd)), tf.sum(dyXHat, axes), tf.sum(dy, axes)];
      },
    };
  });
  const output = normalize(x, gamma, beta);
  if (!kept) throw new Error("unreachable: batch statistics are computed by the forward pass");
  // Clones share the data and belong to the caller's scope like any op result.
  const [mean, variance] = [kept[0].clone(), kept[1].clone()];
  tf.dispose(kept);
  return { output, mean, variance };
}

/** Batch normalisation with given (running) statistics: inference mode. All of gamma..variance [C]. */
export function batchNormInference(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  mean: tf.Tensor1D,
  variance: tf.Tensor1D,
): tf.Tensor4D {
  return tf.batchNorm4d(x, mean, variance, beta, gamma, BATCH_NORM_EPSILON);
}

/**
 * 3x3 average pooling, stride 1, padding 1, dividing by the number of real (unpadded) pixels
 * in each window: PyTorch's AvgPool2d(3, 1, 1, count_include_pad=False), as NB201 uses.
 * TF's "same" average pooling already excludes the padding from the count.
 */
export function avgPool3x3(x: tf.Tensor4D): tf.Tensor4D {
  return tf.avgPool(x, 3, 1, "same");
}

/** 3x3 max pooling, stride 1, padding 1 (padding never wins: TF's "same" ignores it). */
export function maxPool3x3(x: tf.Tensor4D): tf.Tensor4D {
  return tf.maxPool(x, 3, 1, "same");
}

/** Concatenation along channels (the last axis); one tensor is returned as is. */
export function concatChannels(xs: readonly tf.Tensor4D[]): tf.Tensor4D {
  if (xs.length === 1 && xs[0]) return xs[0];
  return tf.concat4d(xs as tf.Tensor4D[], 3);
}

/**
 * x without its first row and column: [B, H, W, C] → [B, H-1, W-1, C]. A stride-2 sampling of
 * it reads the odd pixels, the grid that the second path of ENAS's factorised reduction sees
 * (ENAS pads the bottom/right and crops the top/left: the same pixels for even H, W).
 */
export function shiftByOnePixel(x: tf.Tensor4D): tf.Tensor4D {
  return tf.slice(x, [0, 1, 1, 0], [-1, -1, -1, -1]);
}

/** 2x2 average pooling with stride 2 (the reduction block's shortcut); H and W even. */
export function avgPool2x2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.avgPool(x, 2, 2, "valid");
}

/** Mean over H and W: [B, H, W, C] → [B, C]. */
export function globalAvgPool(x: tf.Tensor4D): tf.Tensor2D {
  return tf.mean(x, [1, 2]);
}

/** x [B, in] · kernel [in, out] + bias [out]. */
export function dense(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  return tf.add(tf.matMul(x, kernel), bias);
}

/** Mean softmax cross-entropy of logits [B, K] against one-hot labels [B, K]: a scalar. */
export function crossEntropy(logits: tf.Tensor2D, oneHotLabels: tf.Tensor2D): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(oneHotLabels, logits) as tf.Scalar;
}

/** Number of rows whose largest logit is at the label's index (int32 labels [B]): a scalar. */
export function correctCount(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), "float32"));
}
