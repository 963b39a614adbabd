/** Model and training settings. Defaults follow the official code where it has one. */
export interface GraphVaeConfig {
  /** Latent size. Default 56, as in the official code (D-VAE's). */
  latentSize: number;
  /** Width of node states, decoder and predictor hidden layers. Default 64. */
  hiddenSize: number;
  /** Message-passing rounds of the encoder (both edge directions each round). Default 3. */
  gnnLayers: number;
  /** Weight of the KL term. Default 0.005, as in the official code. */
  beta: number;
  /** Adam learning rate. Default 1e-3: the official 1e-4 needs ~10x the steps we can afford per round. */
  learningRate: number;
  /** Weights of the two predictor losses (on standardised targets). Default 1 and 1. */
  accuracyWeight: number;
  flopsWeight: number;
  /** Cells per step drawn from the whole space (VAE terms only). Default 64. */
  unlabelledBatch: number;
  /** Evaluated cells per step (all four terms). Default 32, the official batch size. */
  labelledBatch: number;
  /**
   * Robust accuracy targets: the predictor learns -log(100 - accuracy) (resolution where the good
   * cells are), centred on the median and scaled by the MAD of the labelled cells, and targets
   * more than 3 scales below the centre are clipped there, so that a few broken cells (10 % on
   * NAS-Bench-201) cannot squash the differences between good ones. Default false (plain
   * standardisation of the accuracy); the graph-VAE search strategy turns it on.
   */
  robustTargets?: boolean;
  /**
   * How the reconstruction terms add up: "mean" averages node cross-entropy over nodes and edge
   * cross-entropy over node pairs (the loss is per decision, so beta weighs the KL ~10-30x more);
   * "sum" adds them up per graph, as D-VAE does (the KL then weighs as in the official code).
   * Default "mean" (what NAS-Bench-201's settings were tuned with); the graph-VAE strategy picks
   * "sum" on spaces whose decoded edges matter (no fixed topology).
   */
  reconstruction?: "mean" | "sum";
  /**
   * The FLOPs head learns every cell's FLOPs, unlabelled ones included (a cell's cost is known
   * without training it: pass `unlabelledFlops` to the session), and the accuracy head reads
   * that prediction beside z. Cost alone ranks NAS-Bench-201's CIFAR-10 accuracies with Kendall
   * τ 0.54; a predictor trained on 100 labels without it reached 0.44. Default false; the
   * graph-VAE strategy turns it on.
   */
  costFeature?: boolean;
  /**
   * Weight of a pairwise ranking loss on the labelled cells of each batch (logistic loss on the
   * sign of every pair's accuracy difference), beside the accuracy MSE. Default 0 (none).
   */
  rankingWeight?: number;
}

export const defaultGraphVaeConfig: GraphVaeConfig = {
  latentSize: 56,
  hiddenSize: 64,
  gnnLayers: 3,
  beta: 0.005,
  learningRate: 1e-3,
  accuracyWeight: 1,
  flopsWeight: 1,
  unlabelledBatch: 64,
  labelledBatch: 32,
};
