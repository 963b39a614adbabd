import { tf } from "@nasvae/tf-backend";
import type { GraphTensors, GraphVaeModel } from "./model.ts";

export interface LossTerms {
  total: tf.Scalar;
  nodes: tf.Scalar;
  edges: tf.Scalar;
  kl: tf.Scalar;
  accuracy: tf.Scalar;
  flops: tf.Scalar;
  /** Pairwise ranking loss of the accuracy head (0 unless config.rankingWeight > 0). */
  ranking: tf.Scalar;
}

export interface Targets {
  /** Standardised accuracy targets [L] for the first L graphs of the batch (the labelled ones). */
  accuracy: tf.Tensor1D;
  /** Standardised log-FLOPs targets [F] for the first F graphs: F = L, or the whole batch where
   * every cell's cost is known (config.costFeature). */
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

  const { beta, accuracyWeight, flopsWeight, rankingWeight = 0 } = model.config;
  let accuracy = tf.scalar(0);
  let flops = tf.scalar(0);
  let ranking = tf.scalar(0);
  if (targets && targets.flops.size > 0) {
    const costed = tf.slice(mu, [0, 0], [targets.flops.size, -1]) as tf.Tensor2D;
    flops = tf.losses.meanSquaredError(targets.flops, model.predictFlops(costed)) as tf.Scalar;
  }
  if (targets && targets.accuracy.size > 0) {
    const labelled = tf.slice(mu, [0, 0], [targets.accuracy.size, -1]) as tf.Tensor2D;
    const predicted = model.predictAccuracy(labelled);
    accuracy = tf.losses.meanSquaredError(targets.accuracy, predicted) as tf.Scalar;
    if (rankingWeight > 0) ranking = pairwiseRankingLoss(predicted, targets.accuracy);
  }
  const total = tf.addN([
    nodes,
    edges,
    tf.mul(beta, kl),
    tf.mul(accuracyWeight, accuracy),
    tf.mul(flopsWeight, flops),
    tf.mul(rankingWeight, ranking),
  ]) as tf.Scalar;
  return { total, nodes, edges, kl, accuracy, flops, ranking };
}

/**
 * Logistic loss on every ordered pair whose targets differ: log(1 + exp(-(p_i - p_j))) for
 * y_i > y_j, averaged over those pairs (RankNet's loss; 0 when every target ties).
 */
function pairwiseRankingLoss(predicted: tf.Tensor1D, target: tf.Tensor1D): tf.Scalar {
  const difference = tf.sub(tf.expandDims(predicted, 1), tf.expandDims(predicted, 0));
  const better = tf.cast(tf.greater(tf.expandDims(target, 1), tf.expandDims(target, 0)), "float32");
  const pairs = tf.maximum(tf.sum(better), 1);
  return tf.div(tf.sum(tf.mul(better, tf.softplus(tf.neg(difference)))), pairs) as tf.Scalar;
}
