import { tf } from "@nasvae/tf-backend";
import type { GraphTensors, GraphVaeModel } from "./model.ts";

export interface LossTerms {
  total: tf.Scalar;
  nodes: tf.Scalar;
  edges: tf.Scalar;
  kl: tf.Scalar;
  accuracy: tf.Scalar;
  flops: tf.Scalar;
}

export interface Targets {
  /** Standardised targets [L] for the first L graphs of the batch (the labelled ones). */
  accuracy: tf.Tensor1D;
  flops: tf.Tensor1D;
}

/** Upper-triangular mask [N, N] (i < j): the only pairs that can carry an edge. */
function forwardPairs(n: number): tf.Tensor2D {
  return tf.tensor2d(
    Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j > i ? 1 : 0))),
  );
}

/**
 * The joint loss: reconstruction (node classes cross-entropy + edges binary cross-entropy)
 * + beta * KL + MSE of both predictors on the labelled graphs (the first `targets.accuracy.size`
 * of the batch). Reconstruction decodes a reparameterised sample; predictors read mu.
 */
export function jointLoss(
  model: GraphVaeModel,
  graphs: GraphTensors,
  targets: Targets | null,
  noiseSeed: number,
): LossTerms {
  const { mu, logvar } = model.encode(graphs);
  const epsilon = tf.randomNormal(mu.shape, 0, 1, "float32", noiseSeed);
  const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), epsilon)) as tf.Tensor2D;
  const { nodeLogits, edgeLogits } = model.decode(z);

  const perGraph = model.config.reconstruction === "sum";
  const nodeLoss = tf.losses.softmaxCrossEntropy(
    graphs.nodes,
    nodeLogits,
    undefined,
    0,
    tf.Reduction.NONE,
  );
  const batchSize = graphs.adjacency.shape[0];
  const nodes = (perGraph ? tf.div(tf.sum(nodeLoss), batchSize) : tf.mean(nodeLoss)) as tf.Scalar;
  const pairs = forwardPairs(model.nodes);
  const edgeLoss = tf.losses.sigmoidCrossEntropy(
    graphs.adjacency,
    edgeLogits,
    undefined,
    0,
    tf.Reduction.NONE,
  );
  const edges = tf.div(
    tf.sum(tf.mul(edgeLoss, pairs)),
    perGraph ? batchSize : tf.mul(tf.sum(pairs), batchSize),
  ) as tf.Scalar;
  const kl = tf.mean(
    tf.mul(-0.5, tf.sum(tf.sub(tf.add(1, logvar), tf.add(tf.square(mu), tf.exp(logvar))), 1)),
  ) as tf.Scalar;

  let accuracy = tf.scalar(0);
  let flops = tf.scalar(0);
  if (targets && targets.accuracy.size > 0) {
    const labelled = tf.slice(mu, [0, 0], [targets.accuracy.size, -1]) as tf.Tensor2D;
    accuracy = tf.losses.meanSquaredError(
      targets.accuracy,
      model.predictAccuracy(labelled),
    ) as tf.Scalar;
    flops = tf.losses.meanSquaredError(targets.flops, model.predictFlops(labelled)) as tf.Scalar;
  }
  const { beta, accuracyWeight, flopsWeight } = model.config;
  const total = tf.addN([
    nodes,
    edges,
    tf.mul(beta, kl),
    tf.mul(accuracyWeight, accuracy),
    tf.mul(flopsWeight, flops),
  ]) as tf.Scalar;
  return { total, nodes, edges, kl, accuracy, flops };
}
