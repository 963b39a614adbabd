import * as tf from "@tensorflow/tfjs";

/**
 * A variable holding `initial`, which is consumed: tf.variable copies its value and leaves the
 * initial tensor allocated, so it is disposed here.
 */
export function variable<R extends tf.Rank>(
  initial: tf.Tensor<R>,
  trainable = true,
): tf.Variable<R> {
  try {
    return tf.variable(initial, trainable);
  } finally {
    initial.dispose();
  }
}

/** A non-trainable variable of zeros shaped like `like` (optimiser state). */
export function zerosVariableLike(like: tf.Tensor): tf.Variable {
  return variable(tf.zerosLike(like), false);
}
