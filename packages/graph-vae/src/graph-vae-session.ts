import type { Random } from "@nasvae/search-space";
import { tf } from "@nasvae/tf-backend";
import { defaultGraphVaeConfig, type GraphVaeConfig } from "./config.ts";
import type { GraphSpace, PaddedGraph } from "./graph-space.ts";
import { jointLoss } from "./loss.ts";
import { type GraphTensors, GraphVaeModel } from "./model.ts";
import { decodeSnapshot, encodeSnapshot, type TargetStats } from "./snapshot.ts";
import { disposeGraphTensors, graphTensors } from "./tensors.ts";

/** Steps between two yields to the event loop (a step takes ~20-60 ms on WASM here). */
const YIELD_EVERY_STEPS = 10;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface LabelledGraph {
  graph: PaddedGraph;
  /** Measured accuracy (%), the search signal. */
  accuracy: number;
  flops: number;
}

export interface TrainOptions {
  steps: number;
  rng: Random;
  /** Adam's learning rate for this call. Default: the model config's learningRate. */
  learningRate?: number;
}

export interface TrainReport {
  steps: number;
  milliseconds: number;
  /** Mean of each loss term over the last 10% of the steps. */
  loss: {
    total: number;
    nodes: number;
    edges: number;
    kl: number;
    accuracy: number;
    flops: number;
    ranking: number;
  };
}

export interface DecodeOptions {
  /** Draw node classes and edges from the decoder's distributions (default: the most likely). */
  sample?: Random;
}

export interface Prediction {
  accuracy: number;
  flops: number;
}

/**
 * A trained graph VAE with what it needs between rounds: the model, the whole space as
 * unlabelled training data, and the standardisation of its predictor targets. Warm-starts from
 * a snapshot; call dispose() to free every tensor.
 */
export class GraphVaeSession {
  private stats: TargetStats = { accuracyMean: 0, accuracyStd: 1, logFlopsMean: 0, logFlopsStd: 1 };
  private trainedSteps = 0;
  private readonly unlabelled: GraphTensors;
  /** FLOPs of the unlabelled cells, where known (see GraphVaeConfig.costFeature). */
  private readonly unlabelledFlops: readonly number[] | null;

  private constructor(
    readonly space: GraphSpace,
    readonly model: GraphVaeModel,
    unlabelled: readonly PaddedGraph[],
    unlabelledFlops: readonly number[] | undefined,
  ) {
    if (unlabelledFlops && unlabelledFlops.length !== unlabelled.length) {
      throw new Error(
        `unlabelledFlops has ${unlabelledFlops.length} values for ${unlabelled.length} cells`,
      );
    }
    this.unlabelled = graphTensors(space, unlabelled);
    this.unlabelledFlops = model.config.costFeature && unlabelledFlops ? unlabelledFlops : null;
    if (this.unlabelledFlops) {
      [this.stats.logFlopsMean, this.stats.logFlopsStd] = meanStd(
        this.unlabelledFlops.map(Math.log),
      );
    }
  }

  /**
   * A new model. `unlabelledFlops[i]` is the FLOPs of `unlabelled[i]`: with config.costFeature,
   * the FLOPs head then learns the cost of every cell, and FLOPs are standardised on them.
   */
  static create(
    space: GraphSpace,
    unlabelled: readonly PaddedGraph[],
    config: Partial<GraphVaeConfig> = {},
    seed = 0,
    unlabelledFlops?: readonly number[],
  ): GraphVaeSession {
    const model = new GraphVaeModel(space, { ...defaultGraphVaeConfig, ...config }, seed);
    return new GraphVaeSession(space, model, unlabelled, unlabelledFlops);
  }

  /** Rebuilds a session from `save()` output (a previous round's weights). */
  static restore(
    space: GraphSpace,
    unlabelled: readonly PaddedGraph[],
    snapshot: Uint8Array,
    unlabelledFlops?: readonly number[],
  ): GraphVaeSession {
    const { header, weights } = decodeSnapshot(snapshot);
    const session = GraphVaeSession.create(space, unlabelled, header.config, 0, unlabelledFlops);
    const byName = new Map(header.variables.map((v) => [v.name, v]));
    for (const { key, variable } of session.model.namedVariables()) {
      const entry = byName.get(key);
      if (!entry || entry.size !== variable.size) {
        session.dispose();
        throw new Error(`snapshot does not match the model (variable ${key})`);
      }
      const values = tf.tensor(
        weights.subarray(entry.offset, entry.offset + entry.size),
        variable.shape,
      );
      variable.assign(values);
      values.dispose();
    }
    session.stats = header.stats;
    session.trainedSteps = header.steps;
    return session;
  }

  get steps(): number {
    return this.trainedSteps;
  }

  save(): Uint8Array {
    return encodeSnapshot(
      { config: this.model.config, stats: this.stats, steps: this.trainedSteps },
      this.model.namedVariables(),
    );
  }

  /**
   * Trains all four parts jointly: every step takes `unlabelledBatch` cells of the whole space
   * (VAE terms) and `labelledBatch` evaluated cells (all terms). Targets are re-standardised on
   * the labelled cells first. A fresh Adam each call; the weights carry over (warm start).
   */
  async train(labelled: readonly LabelledGraph[], options: TrainOptions): Promise<TrainReport> {
    const started = performance.now();
    const { unlabelledBatch, labelledBatch } = this.model.config;
    if (labelled.length > 0) {
      const fitted = fitStats(labelled, this.robust);
      // Where every cell's cost is known, FLOPs keep the whole space's standardisation.
      this.stats = this.unlabelledFlops
        ? { ...fitted, logFlopsMean: this.stats.logFlopsMean, logFlopsStd: this.stats.logFlopsStd }
        : fitted;
    }
    const optimizer = tf.train.adam(options.learningRate ?? this.model.config.learningRate);
    const labelledTensors =
      labelled.length > 0
        ? graphTensors(
            this.space,
            labelled.map((l) => l.graph),
          )
        : null;
    const accuracyTargets = tf.tensor1d(labelled.map((l) => this.standardiseAccuracy(l.accuracy)));
    const flopsTargets = tf.tensor1d(labelled.map((l) => this.standardiseFlops(l.flops)));
    const unlabelledFlopsTargets = this.unlabelledFlops
      ? tf.tensor1d(this.unlabelledFlops.map((f) => this.standardiseFlops(f)))
      : null;
    const total = this.unlabelled.nodes.shape[0];
    const tail = Math.max(1, Math.floor(options.steps / 10));
    const sums = { total: 0, nodes: 0, edges: 0, kl: 0, accuracy: 0, flops: 0, ranking: 0 };

    for (let step = 0; step < options.steps; step++) {
      // Training is synchronous: let the event loop run now and then, so that BullMQ renews the
      // job's lock and signals are handled while a long pretraining runs.
      if (step % YIELD_EVERY_STEPS === YIELD_EVERY_STEPS - 1) await yieldToEventLoop();
      const unlabelledIndex = Array.from({ length: unlabelledBatch }, () => options.rng.int(total));
      const labelledIndex = labelledTensors
        ? Array.from({ length: Math.min(labelledBatch, labelled.length * 2) }, () =>
            options.rng.int(labelled.length),
          )
        : [];
      const noiseSeed = options.rng.int(2 ** 31);
      const record = step >= options.steps - tail;
      const terms = tf.tidy((): tf.Tensor => {
        const pick = (source: GraphTensors, index: number[]) => {
          const at = tf.tensor1d(index, "int32");
          return {
            nodes: tf.gather(source.nodes, at),
            adjacency: tf.gather(source.adjacency, at),
            mask: tf.gather(source.mask, at),
          };
        };
        const parts = [pick(this.unlabelled, unlabelledIndex)];
        if (labelledTensors && labelledIndex.length > 0)
          parts.unshift(pick(labelledTensors, labelledIndex));
        const batch: GraphTensors = {
          nodes: tf.concat(parts.map((p) => p.nodes)) as tf.Tensor3D,
          adjacency: tf.concat(parts.map((p) => p.adjacency)) as tf.Tensor3D,
          mask: tf.concat(parts.map((p) => p.mask)) as tf.Tensor2D,
        };
        // (Gathering nothing yields a malformed tensor on WASM: empty parts are left out.)
        const at = tf.tensor1d(labelledIndex, "int32");
        const labelledTargets =
          labelledIndex.length > 0
            ? { accuracy: tf.gather(accuracyTargets, at), flops: tf.gather(flopsTargets, at) }
            : { accuracy: tf.tensor1d([]), flops: tf.tensor1d([]) };
        // The batch is [labelled..., unlabelled...]: with every cell's cost known, FLOPs
        // targets cover both parts.
        const targets = unlabelledFlopsTargets
          ? {
              accuracy: labelledTargets.accuracy,
              flops: tf.concat([
                labelledTargets.flops,
                tf.gather(unlabelledFlopsTargets, tf.tensor1d(unlabelledIndex, "int32")),
              ]) as tf.Tensor1D,
            }
          : labelledIndex.length > 0
            ? labelledTargets
            : null;
        let recorded: tf.Tensor = tf.zeros([0]);
        optimizer.minimize(() => {
          const loss = jointLoss(this.model, batch, targets, noiseSeed);
          if (record) {
            const { total, nodes, edges, kl, accuracy, flops, ranking } = loss;
            recorded = tf.keep(tf.stack([total, nodes, edges, kl, accuracy, flops, ranking]));
          }
          return loss.total;
        });
        return recorded;
      });
      if (record) {
        const values = terms.dataSync();
        Object.keys(sums).forEach((key, i) => {
          sums[key as keyof typeof sums] += (values[i] ?? 0) / tail;
        });
      }
      terms.dispose();
    }
    optimizer.dispose();
    tf.dispose([accuracyTargets, flopsTargets]);
    unlabelledFlopsTargets?.dispose();
    if (labelledTensors) disposeGraphTensors(labelledTensors);
    this.trainedSteps += options.steps;
    return { steps: options.steps, milliseconds: performance.now() - started, loss: sums };
  }

  /** Latent means [B, latent] of the graphs, as plain arrays. */
  encode(graphs: readonly PaddedGraph[]): number[][] {
    if (graphs.length === 0) return [];
    return tf.tidy(() => {
      const tensors = graphTensors(this.space, graphs);
      return this.model.encode(tensors).mu.arraySync();
    });
  }

  /** The posterior q(z|G) of each graph: latent means and log-variances, as plain arrays. */
  encodeDistribution(graphs: readonly PaddedGraph[]): { mu: number[][]; logvar: number[][] } {
    if (graphs.length === 0) return { mu: [], logvar: [] };
    return tf.tidy(() => {
      const tensors = graphTensors(this.space, graphs);
      const { mu, logvar } = this.model.encode(tensors);
      return { mu: mu.arraySync(), logvar: logvar.arraySync() };
    });
  }

  /** Predicted accuracy (%) and FLOPs of cells. */
  predict(graphs: readonly PaddedGraph[]): Prediction[] {
    if (graphs.length === 0) return [];
    return this.predictLatent(this.encode(graphs));
  }

  predictLatent(points: readonly number[][]): Prediction[] {
    if (points.length === 0) return [];
    const [accuracy, flops] = tf.tidy(() => {
      const z = tf.tensor2d(points as number[][]);
      return [this.model.predictAccuracy(z).dataSync(), this.model.predictFlops(z).dataSync()];
    });
    return Array.from(accuracy ?? [], (a, i) => ({
      accuracy: this.unstandardiseAccuracy(a),
      flops: Math.exp(this.stats.logFlopsMean + this.stats.logFlopsStd * (flops?.[i] ?? 0)),
    }));
  }

  /** Standardised search objective of latent points: accuracy - lambda * log-FLOPs. */
  scoreLatent(points: readonly number[][], lambda: number): number[] {
    if (points.length === 0) return [];
    return tf.tidy(() => {
      const z = tf.tensor2d(points as number[][]);
      const score = tf.sub(
        this.model.predictAccuracy(z),
        tf.mul(lambda, this.model.predictFlops(z)),
      );
      return Array.from(score.dataSync());
    });
  }

  /**
   * Decodes latent points to cells. Node 0 is the input and the last node the output (the
   * decoder's start and stop, as in D-VAE); every other node takes its most likely op (or pad),
   * or one drawn from the decoder's softmax when `options.sample` is given. Edges are the space's
   * fixed topology where it has one; otherwise every forward pair between real nodes whose logit
   * is positive (or, sampling, a Bernoulli draw of its sigmoid). Nothing makes the edges valid:
   * the space's fromDag judges them (ENAS needs the chain i -> i+1, for instance).
   */
  decode(points: readonly number[][], options: DecodeOptions = {}): PaddedGraph[] {
    if (points.length === 0) return [];
    const { nodeLogits, edgeLogits } = tf.tidy(() => {
      const decoded = this.model.decode(tf.tensor2d(points as number[][]));
      return {
        nodeLogits: decoded.nodeLogits.arraySync(),
        edgeLogits: decoded.edgeLogits.arraySync(),
      };
    });
    const { inputOp, outputOp, maxNodes, fixedAdjacency } = this.space;
    const rng = options.sample;
    const pad = this.space.vocabulary.length;
    return nodeLogits.map((nodes, b) => {
      const classes = nodes.map((logits, i) => {
        if (i === 0) return inputOp;
        if (i === maxNodes - 1) return outputOp;
        const allowed = logits
          .map((value, cls) => ({ value, cls }))
          .filter(({ cls }) => cls !== inputOp && cls !== outputOp);
        return rng ? sampleSoftmax(allowed, rng) : argmax(allowed);
      });
      const edge = (i: number, j: number) => {
        const logit = edgeLogits[b]?.[i]?.[j] ?? 0;
        return rng ? rng.next() < 1 / (1 + Math.exp(-logit)) : logit > 0;
      };
      const adjacency = fixedAdjacency
        ? fixedAdjacency.map((row) => [...row])
        : classes.map((from, i) =>
            classes.map((to, j) => (j > i && from !== pad && to !== pad && edge(i, j) ? 1 : 0)),
          );
      return { classes, adjacency };
    });
  }

  /**
   * Gradient ascent in latent space on predicted accuracy - lambda * predicted FLOPs (both
   * standardised), with steps of fixed length `stepSize` along the normalised gradient.
   * Returns the trajectory: points[t][s] is start s after t + 1 steps.
   */
  ascend(
    starts: readonly number[][],
    options: { steps: number; stepSize: number; lambda: number },
  ): number[][][] {
    const trajectory: number[][][] = [];
    let z = tf.tensor2d(starts as number[][]);
    const score = (x: tf.Tensor2D) =>
      tf.sum(
        tf.sub(this.model.predictAccuracy(x), tf.mul(options.lambda, this.model.predictFlops(x))),
      );
    const gradient = tf.grad((x: tf.Tensor) => score(x as tf.Tensor2D));
    for (let t = 0; t < options.steps; t++) {
      const next = tf.tidy(() => {
        const g = gradient(z);
        const norm = tf.add(tf.norm(g, "euclidean", 1, true), 1e-8);
        return tf.add(z, tf.mul(options.stepSize, tf.div(g, norm))) as tf.Tensor2D;
      });
      z.dispose();
      z = next;
      trajectory.push(z.arraySync());
    }
    z.dispose();
    return trajectory;
  }

  dispose(): void {
    this.model.dispose();
    disposeGraphTensors(this.unlabelled);
  }

  private get robust(): boolean {
    return this.model.config.robustTargets === true;
  }

  private standardiseAccuracy(accuracy: number): number {
    const z =
      (accuracyTarget(accuracy, this.robust) - this.stats.accuracyMean) / this.stats.accuracyStd;
    return this.robust ? Math.max(z, -ROBUST_CLIP) : z;
  }

  private unstandardiseAccuracy(z: number): number {
    const target = this.stats.accuracyMean + this.stats.accuracyStd * z;
    return this.robust ? 100 - Math.exp(-target) : target;
  }

  private standardiseFlops(flops: number): number {
    return (Math.log(flops) - this.stats.logFlopsMean) / this.stats.logFlopsStd;
  }
}

function argmax(options: readonly { value: number; cls: number }[]): number {
  let best = options[0] as { value: number; cls: number };
  for (const option of options) if (option.value > best.value) best = option;
  return best.cls;
}

/** A class drawn from the softmax of its logits. */
function sampleSoftmax(options: readonly { value: number; cls: number }[], rng: Random): number {
  const max = Math.max(...options.map((o) => o.value));
  const weights = options.map((o) => Math.exp(o.value - max));
  let u = rng.next() * weights.reduce((a, w) => a + w, 0);
  for (const [k, option] of options.entries()) {
    u -= weights[k] as number;
    if (u < 0) return option.cls;
  }
  return (options[options.length - 1] as { cls: number }).cls;
}

/** Robust targets are clipped this many scales below the centre. */
const ROBUST_CLIP = 3;

/** What the accuracy predictor learns before standardisation: see GraphVaeConfig.robustTargets. */
function accuracyTarget(accuracy: number, robust: boolean): number {
  return robust ? -Math.log(100 - Math.min(accuracy, 99.9)) : accuracy;
}

function meanStd(values: readonly number[]): readonly [number, number] {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return [mean, Math.sqrt(variance) || 1] as const;
}

/** Median and MAD (scaled to a normal's standard deviation), the std where the MAD is 0. */
function medianScale(values: readonly number[]): readonly [number, number] {
  const median = (xs: readonly number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  };
  const center = median(values);
  const mad = 1.4826 * median(values.map((v) => Math.abs(v - center)));
  return [center, mad > 1e-9 ? mad : (meanStd(values)[1] as number)] as const;
}

function fitStats(labelled: readonly LabelledGraph[], robust: boolean): TargetStats {
  const targets = labelled.map((l) => accuracyTarget(l.accuracy, robust));
  const [accuracyMean, accuracyStd] = robust ? medianScale(targets) : meanStd(targets);
  const [logFlopsMean, logFlopsStd] = meanStd(labelled.map((l) => Math.log(l.flops)));
  return { accuracyMean, accuracyStd, logFlopsMean, logFlopsStd };
}
