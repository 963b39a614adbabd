/**
 * Graph-VAE model quality, printed as markdown tables.
 *
 * `--space nas-bench-201` (default), on NAS-Bench-201 CIFAR-10:
 *  1. reconstruction of held-out and training cells after unsupervised pretraining,
 *  2. validity and uniqueness of cells decoded from the prior z ~ N(0, I),
 *  3. rank correlation of the accuracy and FLOPs predictors after fine-tuning on 25/50/100/200
 *     labelled cells, on held-out cells,
 *  4. wall time of the parts of a coordinator round (fine-tune, proposal), and of two calls of
 *     the graph-vae strategy's propose() (`createStrategy({ kind: "graph-vae" })`).
 * Steps and proposal settings default to the strategy's GRAPH_VAE_DEFAULTS.
 *
 *   npx tsx bench/model-quality.ts [--seed 1] [--pretrain-steps N] [--finetune-steps N]
 *     [--held-out 1000] [--prior-samples 1000] [--predictor strategy|paper|cost-feature]
 *
 * `--space enas-macro-6`: D-VAE's protocol on the ENAS-6 table (data/enas6), see enasProtocol.
 *
 *   npx tsx bench/model-quality.ts --space enas-macro-6 [--seed 1] [--steps 6000]
 *     [--minutes 10] [--eval-every 1000] [--learning-rate 0.003] [--final-learning-rate R]
 *     [--hidden-size 64]
 *     [--test-limit N] [--prior-samples 1000]
 */

import os from "node:os";
import { parseArgs } from "node:util";
import { GRAPH_VAE_DEFAULTS } from "@nasvae/contracts";
import { loadEnas6Table, loadNasBench201Table } from "@nasvae/evaluators";
import {
  defaultGraphVaeConfig,
  ensureBackend,
  GraphVaeSession,
  type LabelledGraph,
  type PaddedGraph,
  type TrainReport,
  tf,
  unpadGraph,
} from "@nasvae/graph-vae";
import {
  createRandom,
  enasSearchSpace,
  type Nb201Cell,
  type Random,
  nasBench201SearchSpace as space,
} from "@nasvae/search-space";
import { createStrategy, type Observation, spaceGraphs } from "@nasvae/strategies";
import { kendallTauB, pearson, spearmanRho } from "./lib/model-rank-correlation.ts";

const started = performance.now();
const LABELLED_SIZES = [25, 50, 100, 200];
/** The labelled-set size whose fine-tuned model the proposal timings use. */
const PROPOSAL_LABELLED = 50;
const ROUND_SIZE = 10;

function usage(message: string): never {
  console.error(`bench/model-quality.ts: ${message}`);
  console.error(
    "usage: npx tsx bench/model-quality.ts [--space nas-bench-201|enas-macro-6] [--seed 1] [--pretrain-steps N] [--finetune-steps N] [--held-out 1000] [--prior-samples 1000] [--predictor strategy|paper|cost-feature] | --space enas-macro-6 [--steps 6000] [--minutes 10] [--eval-every 1000] [--learning-rate 0.003] [--final-learning-rate R] [--hidden-size 64] [--test-limit N]",
  );
  process.exit(2);
}

const { values: args } = (() => {
  try {
    return parseArgs({
      options: {
        seed: { type: "string", default: "1" },
        "pretrain-steps": { type: "string" },
        "finetune-steps": { type: "string" },
        "held-out": { type: "string", default: "1000" },
        "prior-samples": { type: "string", default: "1000" },
        space: { type: "string", default: "nas-bench-201" },
        steps: { type: "string", default: "6000" },
        minutes: { type: "string", default: "10" },
        "eval-every": { type: "string", default: "1000" },
        "learning-rate": { type: "string", default: "0.003" },
        "final-learning-rate": { type: "string" },
        "hidden-size": { type: "string" },
        "test-limit": { type: "string" },
        predictor: { type: "string", default: "strategy" },
      },
      strict: true,
    });
  } catch (error) {
    usage((error as Error).message);
  }
})();

function integerOption(value: string, name: string, min: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) usage(`--${name} must be an integer ≥ ${min}`);
  return number;
}

// ---------------------------------------------------------------------------------------------
// Settings: the graph-vae strategy's own defaults unless overridden.

interface Setting {
  value: number;
  source: string;
}

function stepsSetting(option: string | undefined, name: string, fallback: Setting): Setting {
  return option === undefined
    ? fallback
    : { value: integerOption(option, name, 1), source: `--${name}` };
}

const seed = integerOption(args.seed, "seed", 0);
const heldOutSize = integerOption(args["held-out"], "held-out", 10);
const priorSamples = integerOption(args["prior-samples"], "prior-samples", 1);
const pretrainSteps = stepsSetting(args["pretrain-steps"], "pretrain-steps", {
  value: GRAPH_VAE_DEFAULTS.pretrainSteps,
  source: "GRAPH_VAE_DEFAULTS.pretrainSteps",
});
const finetuneSteps = stepsSetting(args["finetune-steps"], "finetune-steps", {
  value: GRAPH_VAE_DEFAULTS.finetuneSteps,
  source: "GRAPH_VAE_DEFAULTS.finetuneSteps",
});
const { topK, latentSteps, stepSize, lambda, latentSize } = GRAPH_VAE_DEFAULTS;

/** An independent seeded stream per purpose, so that changing one part leaves the others. */
function stream(purpose: number): Random {
  return createRandom((seed * 1_000_003 + purpose * 7_919) >>> 0);
}

function shuffled<T>(items: readonly T[], rng: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function standardNormal(rng: Random): number {
  // Box-Muller; 1 - u keeps the logarithm finite.
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const milliseconds = (ms: number) => `${ms.toFixed(0)} ms`;
const percent = (share: number) => `${(100 * share).toFixed(1)}%`;
/** Two decimals, for the ENAS-6 targets of 99.9 %. */
const percent2 = (share: number) => `${(100 * share).toFixed(2)}%`;
const fixed = (value: number, digits = 3) =>
  Number.isFinite(value) ? value.toFixed(digits) : "n/a";

function timed<T>(run: () => T): { result: T; ms: number } {
  const t0 = performance.now();
  const result = run();
  return { result, ms: performance.now() - t0 };
}

function lossLine(report: TrainReport): string {
  const { total, nodes, edges, kl, accuracy, flops } = report.loss;
  return `total ${fixed(total)}, nodes ${fixed(nodes)}, edges ${fixed(edges)}, KL ${fixed(kl)}, accuracy ${fixed(accuracy)}, FLOPs ${fixed(flops)}`;
}

// ---------------------------------------------------------------------------------------------
// ENAS-6: D-VAE's model protocol (Zhang et al. 2019, section 4.1 and appendix), on the table.

function numberOption(value: string, name: string, min: number): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < min) usage(`--${name} must be a number ≥ ${min}`);
  return number;
}

function sameGraph(a: PaddedGraph, b: PaddedGraph): boolean {
  return (
    a.classes.every((cls, i) => cls === b.classes[i]) &&
    a.adjacency.every((row, i) => row.every((value, j) => value === b.adjacency[i]?.[j]))
  );
}

/** Pearson r, Kendall tau-b and RMSE of predictions (accuracy, %) against the truth. */
function predictorScores(predicted: readonly number[], truth: readonly number[]) {
  const mean = truth.reduce((a, b) => a + b, 0) / truth.length;
  const std = Math.sqrt(truth.reduce((a, b) => a + (b - mean) ** 2, 0) / truth.length);
  const rmse = Math.sqrt(
    predicted.reduce((a, p, i) => a + (p - (truth[i] as number)) ** 2, 0) / predicted.length,
  );
  return {
    rmse,
    /** RMSE in standard deviations of the truth (D-VAE standardises its targets). */
    rmseStd: rmse / std,
    pearson: pearson(predicted, truth),
    kendall: kendallTauB(predicted, truth),
  };
}

/**
 * D-VAE's protocol on ENAS-6: train on the 17,118 `train` rows of data/enas6/enas6.csv (graphs
 * and ws_acc), test on the 1,902 `test` rows. Reconstruction: each test cell encoded 10 times
 * (z ~ q(z|G)) and each z decoded 10 times, sampling node classes and edges from the decoder
 * (also: each z decoded greedily, and the mean decoded greedily), exact match. Prior: z ~ N(0, I)
 * decoded 10 times each, sampling: validity (the space's fromDag accepts the graph), uniqueness
 * (distinct valid cells / valid decodes) and novelty (valid decodes not among the training rows /
 * valid decodes). Predictor: the accuracy head, trained jointly on the training rows' ws_acc
 * (where D-VAE fits a sparse GP on the latent means afterwards), on the test rows. Also a curve
 * of greedy reconstruction and predictor r against training minutes.
 */
const REGRESSOR_STEPS = 3000;

/**
 * D-VAE's second stage, with an MLP instead of its sparse GP: fits standardised targets on the
 * frozen latent means of the training rows, predicts the test means (same units as `targets`).
 */
async function regressOnMeans(
  trainMeans: number[][],
  targets: readonly number[],
  testMeans: number[][],
  rng: Random,
): Promise<number[]> {
  const mean = targets.reduce((a, b) => a + b, 0) / targets.length;
  const std = Math.sqrt(targets.reduce((a, b) => a + (b - mean) ** 2, 0) / targets.length) || 1;
  const width = trainMeans[0]?.length ?? 0;
  // Glorot-uniform weights; tidy frees the initial values, the variables survive it.
  const dense = (inputs: number, outputs: number, seed: number) =>
    tf.tidy(() => {
      const limit = Math.sqrt(6 / (inputs + outputs));
      return {
        w: tf.variable(tf.randomUniform([inputs, outputs], -limit, limit, "float32", seed)),
        b: tf.variable(tf.zeros([outputs])),
      };
    });
  const layers = [dense(width, 64, 1), dense(64, 64, 2), dense(64, 1, 3)];
  const forward = (x: tf.Tensor2D) =>
    layers.reduce((h, layer, i) => {
      const y = tf.add(tf.matMul(h, layer.w), layer.b) as tf.Tensor2D;
      return i < layers.length - 1 ? tf.relu(y) : y;
    }, x);
  const x = tf.tensor2d(trainMeans);
  const y = tf.tensor2d(targets.map((t) => [(t - mean) / std]));
  const optimizer = tf.train.adam(1e-3);
  for (let step = 0; step < REGRESSOR_STEPS; step++) {
    if (step % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    const index = tf.tensor1d(
      Array.from({ length: 256 }, () => rng.int(trainMeans.length)),
      "int32",
    );
    optimizer.minimize(
      () =>
        tf.losses.meanSquaredError(
          tf.gather(y, index),
          forward(tf.gather(x, index) as tf.Tensor2D),
        ) as tf.Scalar,
    );
    index.dispose();
  }
  const predicted = tf.tidy(() => forward(tf.tensor2d(testMeans)).dataSync());
  optimizer.dispose();
  tf.dispose([x, y, ...layers.flatMap((layer) => [layer.w, layer.b])]);
  return Array.from(predicted, (value) => mean + std * value);
}

async function enasProtocol(): Promise<void> {
  const enasBackend = await ensureBackend();
  const enasTable = await loadEnas6Table();
  const { graphSpace: enasGraphSpace, toGraph: enasGraph } = await spaceGraphs(enasSearchSpace);
  const rows = enasTable.rows.map((row) => {
    const cell = enasSearchSpace.parse(row.arch);
    return { ...row, cell, graph: enasGraph(cell), hash: enasSearchSpace.canonicalHash(cell) };
  });
  const trainRows = rows.filter((row) => row.split === "train");
  const testLimit =
    args["test-limit"] === undefined
      ? Number.POSITIVE_INFINITY
      : integerOption(args["test-limit"], "test-limit", 10);
  const testRows = rows.filter((row) => row.split === "test").slice(0, testLimit);
  const trainHashes = new Set(trainRows.map((row) => row.hash));
  const totalSteps = integerOption(args.steps, "steps", 1);
  const minutes = numberOption(args.minutes, "minutes", 0);
  const evalEvery = integerOption(args["eval-every"], "eval-every", 1);
  const initialRate = numberOption(args["learning-rate"], "learning-rate", 0);
  const finalRate =
    args["final-learning-rate"] === undefined
      ? initialRate
      : numberOption(args["final-learning-rate"], "final-learning-rate", 0);
  /** Exponential decay from the initial to the final rate over the steps, chunk by chunk. */
  const rateAt = (step: number) => initialRate * (finalRate / initialRate) ** (step / totalSteps);
  const config = {
    latentSize,
    learningRate: initialRate,
    ...(args["hidden-size"] === undefined
      ? {}
      : { hiddenSize: integerOption(args["hidden-size"], "hidden-size", 1) }),
    reconstruction: "sum" as const,
    // ENAS-6 has no FLOPs label in the table: the FLOPs head gets constant targets and no weight.
    flopsWeight: 0,
  };
  const labelledRows: LabelledGraph[] = trainRows.map((row) => ({
    graph: row.graph,
    accuracy: 100 * row.wsAcc,
    flops: 1,
  }));
  const testGraphs = testRows.map((row) => row.graph);
  const testAccuracy = testRows.map((row) => 100 * row.wsAcc);

  const cpus = os.cpus();
  console.log("# Graph-VAE model quality on ENAS-6 (D-VAE's protocol)\n");
  console.log(`- Date: ${new Date().toISOString()}`);
  console.log(
    `- Machine: ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${cpus.length} cores, ${os.platform()} ${os.release()}, Node ${process.version}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} at start`,
  );
  console.log(`- TF.js backend: ${enasBackend}`);
  console.log(`- Model: ${JSON.stringify({ ...defaultGraphVaeConfig, ...config })}`);
  console.log(
    `- Training: up to ${totalSteps} joint steps or ${minutes} minutes, whichever comes first; learning rate ${initialRate} → ${finalRate} (exponential, per chunk of ${evalEvery} steps, a fresh Adam each); seed ${seed}; every step ${defaultGraphVaeConfig.unlabelledBatch} training graphs (VAE terms) + ${defaultGraphVaeConfig.labelledBatch} training graphs with ws_acc (all terms)`,
  );
  console.log(
    `- Data: ${enasTable.path} (sha256 ${enasTable.sha256.slice(0, 12)}), ${trainRows.length} train rows, ${testRows.length} test rows (dvae_split)`,
  );

  const session = GraphVaeSession.create(
    enasGraphSpace,
    trainRows.map((row) => row.graph),
    config,
    seed,
  );
  try {
    const rng = stream(30);
    // The curve is printed as it comes: a time-boxed run shows where it got to.
    console.log("\n## Training curve (test rows)\n");
    console.log(
      "| Steps | Training minutes | Reconstruction, mean, greedy | Reconstruction, 1 z × 1 sampled decode | Predictor Pearson r | Loss, last 10% of the chunk |",
    );
    console.log("| ---: | ---: | ---: | ---: | ---: | --- |");
    let trainedMs = 0;
    let steps = 0;
    let last: TrainReport | undefined;
    while (steps < totalSteps && trainedMs < minutes * 60_000) {
      const chunk = Math.min(evalEvery, totalSteps - steps);
      last = await session.train(labelledRows, { steps: chunk, rng, learningRate: rateAt(steps) });
      trainedMs += last.milliseconds;
      steps += chunk;
      const decoded = session.decode(session.encode(testGraphs));
      const exact = decoded.filter((graph, i) =>
        sameGraph(graph, testGraphs[i] as PaddedGraph),
      ).length;
      // One z ~ q(z|G) and one sampled decode per test cell: the protocol's measure, cheaply.
      const posterior = session.encodeDistribution(testGraphs);
      const sampledExact = session
        .decode(
          posterior.mu.map((m, b) =>
            m.map(
              (value, k) =>
                value + Math.exp(0.5 * (posterior.logvar[b]?.[k] ?? 0)) * standardNormal(rng),
            ),
          ),
          { sample: rng },
        )
        .filter((graph, i) => sameGraph(graph, testGraphs[i] as PaddedGraph)).length;
      const scores = predictorScores(
        session.predict(testGraphs).map((p) => p.accuracy),
        testAccuracy,
      );
      console.log(
        `| ${steps} | ${(trainedMs / 60_000).toFixed(2)} | ${percent2(exact / testGraphs.length)} | ${percent2(sampledExact / testGraphs.length)} | ${fixed(scores.pearson)} | ${lossLine(last)} |`,
      );
    }

    // Reconstruction, D-VAE's way.
    const encodeSamples = 10;
    const decodeSamples = 10;
    const reconRng = stream(31);
    const t0 = performance.now();
    const { mu, logvar } = session.encodeDistribution(testGraphs);
    let sampledExact = 0;
    let greedyExact = 0;
    for (let e = 0; e < encodeSamples; e++) {
      const z = mu.map((m, b) =>
        m.map(
          (value, k) => value + Math.exp(0.5 * (logvar[b]?.[k] ?? 0)) * standardNormal(reconRng),
        ),
      );
      session.decode(z).forEach((graph, b) => {
        if (sameGraph(graph, testGraphs[b] as PaddedGraph)) greedyExact++;
      });
      for (let d = 0; d < decodeSamples; d++) {
        session.decode(z, { sample: reconRng }).forEach((graph, b) => {
          if (sameGraph(graph, testGraphs[b] as PaddedGraph)) sampledExact++;
        });
      }
    }
    const meanExact = session
      .decode(mu)
      .filter((graph, b) => sameGraph(graph, testGraphs[b] as PaddedGraph)).length;
    const reconMs = performance.now() - t0;

    // Prior samples.
    const priorDecodes = 10;
    const priorRng = stream(32);
    const priorPoints = Array.from({ length: priorSamples }, () =>
      Array.from({ length: latentSize }, () => standardNormal(priorRng)),
    );
    const priorScore = (graphs: readonly PaddedGraph[]) => {
      const valid: string[] = [];
      for (const graph of graphs) {
        try {
          valid.push(
            enasSearchSpace.canonicalHash(
              enasSearchSpace.fromDag(unpadGraph(enasGraphSpace, graph)),
            ),
          );
        } catch {
          // fromDag rejects it: an invalid decode.
        }
      }
      return {
        decodes: graphs.length,
        validity: valid.length / graphs.length,
        uniqueness: new Set(valid).size / Math.max(1, valid.length),
        novelty: valid.filter((hash) => !trainHashes.has(hash)).length / Math.max(1, valid.length),
      };
    };
    const sampledPrior = priorScore(
      Array.from({ length: priorDecodes }, () =>
        session.decode(priorPoints, { sample: priorRng }),
      ).flat(),
    );
    const greedyPrior = priorScore(session.decode(priorPoints));

    const final = predictorScores(
      session.predict(testGraphs).map((p) => p.accuracy),
      testAccuracy,
    );
    const regressorStarted = performance.now();
    const separate = predictorScores(
      await regressOnMeans(
        session.encode(trainRows.map((row) => row.graph)),
        trainRows.map((row) => 100 * row.wsAcc),
        session.encode(testGraphs),
        stream(33),
      ),
      testAccuracy,
    );
    const regressorMs = performance.now() - regressorStarted;

    console.log(
      `\n## Protocol results after ${steps} steps, ${(trainedMs / 60_000).toFixed(2)} training minutes\n`,
    );
    console.log("| Measure | Value | Target | D-VAE (paper) |");
    console.log("| --- | ---: | ---: | ---: |");
    const n = testGraphs.length;
    console.log(
      `| Reconstruction, ${encodeSamples} z ~ q(z|G) × ${decodeSamples} sampled decodes (${n * encodeSamples * decodeSamples}) | ${percent2(sampledExact / (n * encodeSamples * decodeSamples))} | ≥ 99.9% | 99.96% |`,
    );
    console.log(
      `| Reconstruction, ${encodeSamples} z ~ q(z|G), greedy decode (${n * encodeSamples}) | ${percent2(greedyExact / (n * encodeSamples))} | | |`,
    );
    console.log(`| Reconstruction, mean, greedy decode (${n}) | ${percent2(meanExact / n)} | | |`);
    console.log(
      `| Prior validity, ${priorSamples} z ~ N(0, I) × ${priorDecodes} sampled decodes | ${percent2(sampledPrior.validity)} | ≥ 99.9% | 100.00% |`,
    );
    console.log(
      `| Prior uniqueness (distinct valid / valid) | ${percent2(sampledPrior.uniqueness)} | | 37.26% |`,
    );
    console.log(
      `| Prior novelty (not in train / valid) | ${percent2(sampledPrior.novelty)} | | 100.00% |`,
    );
    console.log(
      `| Prior, greedy decode: validity / uniqueness / novelty | ${percent2(greedyPrior.validity)} / ${percent2(greedyPrior.uniqueness)} / ${percent2(greedyPrior.novelty)} | | |`,
    );
    console.log(`| Predictor RMSE, ws_acc points (%) | ${fixed(final.rmse, 3)} | | |`);
    console.log(`| Predictor RMSE / std of test ws_acc | ${fixed(final.rmseStd, 3)} | | 0.384 |`);
    console.log(`| Predictor Pearson r | ${fixed(final.pearson)} | ≥ 0.9 | 0.920 |`);
    console.log(`| Predictor Kendall τ-b | ${fixed(final.kendall)} | | |`);
    console.log(
      `| Separate regressor on the means: RMSE / RMSE÷std / Pearson r / Kendall τ-b | ${fixed(separate.rmse)} / ${fixed(separate.rmseStd)} / ${fixed(separate.pearson)} / ${fixed(separate.kendall)} | | |`,
    );
    console.log(`| Training time | ${seconds(trainedMs)} | | |`);
    console.log(
      `\nExact: every node class and edge equal. Sampled decodes draw node classes from the decoder's softmax and each edge from its sigmoid (node 0 input and node 7 output fixed, as D-VAE's decoder starts and stops); greedy decodes take the argmax and positive logits. Valid: \`enasSearchSpace.fromDag\` accepts the graph (is_valid_ENAS). The predictor is the joint accuracy head on the latent mean, trained on the ${trainRows.length} training rows (D-VAE: sparse GP on the means; its RMSE is on standardised ws_acc); the separate regressor is an MLP (56 → 64 → 64 → 1, ReLU, Adam 1e-3, ${REGRESSOR_STEPS} steps of batch 256, ${seconds(regressorMs)}) fitted afterwards on the frozen means of the training rows, D-VAE's two-stage way. Evaluation took ${seconds(reconMs)} for reconstruction. Total bench time: ${seconds(performance.now() - started)}.`,
    );
  } finally {
    session.dispose();
  }
}

if (args.space === "enas-macro-6") {
  await enasProtocol();
  process.exit(0);
}
if (args.space !== "nas-bench-201") usage(`--space must be nas-bench-201 or enas-macro-6`);

// ---------------------------------------------------------------------------------------------
// Data: every cell, its padded graph (the strategy's own encoding) and its CIFAR-10 labels.

const backend = await ensureBackend();
const { graphSpace, toGraph } = await spaceGraphs(space);
const table = await loadNasBench201Table();

interface Entry {
  cell: Nb201Cell;
  archString: string;
  canonicalHash: string;
  graph: PaddedGraph;
  accuracy: number;
  flops: number;
}

const entries: Entry[] = [...space.enumerate()].map((cell) => {
  const archString = space.format(cell);
  const row = table.byArch.get(archString);
  if (!row) throw new Error(`${archString} is not in the NAS-Bench-201 table ${table.path}`);
  return {
    cell,
    archString,
    canonicalHash: space.canonicalHash(cell),
    graph: toGraph(cell),
    accuracy: row.cifar10_valid_acc,
    flops: row.flops_m * 1e6,
  };
});
if (heldOutSize >= entries.length) usage(`--held-out must be < ${entries.length}`);
const split = shuffled(entries, stream(1));
const heldOut = split.slice(0, heldOutSize);
const training = split.slice(heldOutSize);
const trainingGraphs = training.map((entry) => entry.graph);
const heldOutGraphs = heldOut.map((entry) => entry.graph);
/** Labelled cells: a seeded random order of the training cells; the first n are used. */
const labelledPool = shuffled(training, stream(2));
const labelled = (n: number): LabelledGraph[] =>
  labelledPool.slice(0, n).map(({ graph, accuracy, flops }) => ({ graph, accuracy, flops }));
/** Only one session may exist at a time (the model's variables have fixed names). */
/**
 * "strategy": the model config the graph-vae strategy pretrains (robust targets, and the cost
 * feature and ranking loss as GRAPH_VAE_DEFAULTS set them); "cost-feature": the same with the
 * cost feature and a ranking weight of 1 (the bench's graph-vae:cost-feature); "paper": an MLP on
 * z trained by MSE on plainly standardised accuracies.
 */
if (!["strategy", "paper", "cost-feature"].includes(args.predictor)) {
  usage("--predictor must be strategy, paper or cost-feature");
}
const modelConfig =
  args.predictor === "paper"
    ? { latentSize }
    : {
        latentSize,
        robustTargets: true,
        ...(args.predictor === "cost-feature"
          ? { costFeature: true, rankingWeight: 1 }
          : {
              costFeature: GRAPH_VAE_DEFAULTS.costFeature,
              rankingWeight: GRAPH_VAE_DEFAULTS.rankingWeight,
            }),
      };
const PREDICTOR_LABELS = {
  strategy: "the graph-vae strategy's model config",
  "cost-feature": "the strategy's config with the cost feature and a ranking weight of 1",
  paper: "GraphVaeSession defaults with the strategy's latent size",
} as const;
/** Every training cell's FLOPs: with the cost feature the FLOPs head learns them unlabelled. */
const trainingFlops = training.map((entry) => entry.flops);

const cpus = os.cpus();
console.log("# Graph-VAE model quality on NAS-Bench-201 CIFAR-10\n");
console.log(`- Date: ${new Date().toISOString()}`);
console.log(
  `- Machine: ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${cpus.length} cores, ${os.platform()} ${os.release()}, Node ${process.version}`,
);
console.log(`- TF.js backend: ${backend}`);
console.log(
  `- Model: ${JSON.stringify({ ...defaultGraphVaeConfig, ...modelConfig })} (--predictor ${args.predictor}: ${PREDICTOR_LABELS[args.predictor as keyof typeof PREDICTOR_LABELS]})`,
);
console.log(
  `- Settings: seed ${seed}; pretrain ${pretrainSteps.value} steps (${pretrainSteps.source}); fine-tune ${finetuneSteps.value} steps (${finetuneSteps.source}); proposal: top ${topK}, ${latentSteps} latent steps of length ${stepSize}, lambda ${lambda} (GRAPH_VAE_DEFAULTS)`,
);
console.log(
  `- Data: ${entries.length} cells (${table.path}); ${heldOut.length} held out at random, in no training set (labelled or not); ${training.length} for training; labels cifar10_valid_acc and flops_m × 1e6`,
);

// ---------------------------------------------------------------------------------------------
// 1. Reconstruction.

interface ReconstructionScore {
  /** decode(): node classes and edges exact (edges: the fixed topology decode() returns). */
  decoded: number;
  /** Raw decoder: argmax over all classes at every node, and every edge logit's sign, exact. */
  raw: number;
}

function reconstruction(
  session: GraphVaeSession,
  graphs: readonly PaddedGraph[],
): ReconstructionScore {
  let decodedExact = 0;
  let rawExact = 0;
  const chunk = 2000;
  for (let start = 0; start < graphs.length; start += chunk) {
    const part = graphs.slice(start, start + chunk);
    const means = session.encode(part);
    session.decode(means).forEach((graph, b) => {
      const truth = part[b] as PaddedGraph;
      const same =
        graph.classes.every((cls, i) => cls === truth.classes[i]) &&
        graph.adjacency.every((row, i) =>
          row.every((value, j) => value === truth.adjacency[i]?.[j]),
        );
      if (same) decodedExact++;
    });
    const { nodeLogits, edgeLogits } = tf.tidy(() => {
      const decoded = session.model.decode(tf.tensor2d(means));
      return {
        nodeLogits: decoded.nodeLogits.arraySync(),
        edgeLogits: decoded.edgeLogits.arraySync(),
      };
    });
    nodeLogits.forEach((nodes, b) => {
      const truth = part[b] as PaddedGraph;
      const nodesExact = nodes.every(
        (logits, i) => logits.indexOf(Math.max(...logits)) === truth.classes[i],
      );
      const edgesExact = truth.adjacency.every((row, i) =>
        row.every((value, j) => j <= i || ((edgeLogits[b]?.[i]?.[j] ?? 0) > 0 ? 1 : 0) === value),
      );
      if (nodesExact && edgesExact) rawExact++;
    });
  }
  return { decoded: decodedExact / graphs.length, raw: rawExact / graphs.length };
}

const pretrainSession = GraphVaeSession.create(
  graphSpace,
  trainingGraphs,
  modelConfig,
  seed,
  trainingFlops,
);
const pretrain = await pretrainSession.train([], { steps: pretrainSteps.value, rng: stream(3) });
const recoHeld = timed(() => reconstruction(pretrainSession, heldOutGraphs));
const recoTrain = timed(() => reconstruction(pretrainSession, trainingGraphs));

// 2. Prior samples, from the same pretrained model.
const priorRng = stream(4);
const priorPoints = Array.from({ length: priorSamples }, () =>
  Array.from({ length: latentSize }, () => standardNormal(priorRng)),
);
const priorDecoded = timed(() => pretrainSession.decode(priorPoints));
const snapshot = pretrainSession.save();
pretrainSession.dispose();

const validCells: Nb201Cell[] = [];
for (const graph of priorDecoded.result) {
  try {
    validCells.push(space.fromDag(unpadGraph(graphSpace, graph)));
  } catch {
    // Not a cell of the space: counted as invalid.
  }
}
const distinctHashes = new Set(validCells.map((cell) => space.canonicalHash(cell)));
const distinctStrings = new Set(validCells.map((cell) => space.format(cell)));

console.log(`\n## 1. Reconstruction after ${pretrain.steps} unsupervised steps\n`);
console.log(
  `Pretraining on the ${training.length} training cells (no labels) took ${seconds(pretrain.milliseconds)}; loss over its last 10%: ${lossLine(pretrain)}.\n`,
);
console.log("| Cells | Count | Exact, decode() | Exact, raw decoder |");
console.log("| --- | ---: | ---: | ---: |");
console.log(
  `| Held out | ${heldOut.length} | ${percent(recoHeld.result.decoded)} | ${percent(recoHeld.result.raw)} |`,
);
console.log(
  `| Training | ${training.length} | ${percent(recoTrain.result.decoded)} | ${percent(recoTrain.result.raw)} |`,
);
console.log(
  "\nExact: every node class and every edge of the cell come back from decoding its mean encoding. `decode()` fixes the input and output nodes and returns NB201's fixed topology, so there it comes down to the six op nodes; the raw-decoder column instead takes the argmax over all classes at every node and the sign of every forward edge logit (> 0 = edge), i.e. what the decoder learned without the space's constraints.",
);

console.log(`\n## 2. Decoding ${priorSamples} prior samples z ~ N(0, I)\n`);
console.log("| Samples | Valid | Unique / valid (canonical) | Distinct arch strings / valid |");
console.log("| ---: | ---: | ---: | ---: |");
console.log(
  `| ${priorSamples} | ${percent(validCells.length / priorSamples)} | ${percent(distinctHashes.size / Math.max(1, validCells.length))} (${distinctHashes.size}) | ${percent(distinctStrings.size / Math.max(1, validCells.length))} (${distinctStrings.size}) |`,
);
console.log(
  `\nValid: \`space.fromDag(unpadGraph(gs, g))\` does not throw. Unique: distinct canonical hashes (isomorphism classes) among the valid. Decoding took ${milliseconds(priorDecoded.ms)}.`,
);

// ---------------------------------------------------------------------------------------------
// 3. Predictors, and 4. the parts of one proposal (after fine-tuning on the first 50).

const trueAccuracy = heldOut.map((entry) => entry.accuracy);
/** Indices of the held-out cells in the top 10 % by accuracy. */
const topDecile = trueAccuracy
  .map((accuracy, i) => ({ accuracy, i }))
  .sort((a, b) => b.accuracy - a.accuracy)
  .slice(0, Math.max(2, Math.round(trueAccuracy.length / 10)))
  .map(({ i }) => i);
const trueFlops = heldOut.map((entry) => entry.flops);

interface PredictorRow {
  n: number;
  report: TrainReport;
  predictMs: number;
  accuracyTau: number;
  /** Kendall τ among the held-out cells in the top 10 % by accuracy: the order a search needs. */
  topTau: number;
  accuracyRho: number;
  flopsTau: number;
  flopsRho: number;
}

interface ProposalTiming {
  encodeMs: number;
  ascentMs: number;
  decodeMs: number;
  scoreMs: number;
  points: number;
  /** Distinct cells (canonical) decoded along the trajectories, and those not in the history. */
  decodedCells: number;
  newCells: number;
}

function timeProposal(session: GraphVaeSession, history: readonly Entry[]): ProposalTiming {
  const seen = new Set(history.map((entry) => entry.canonicalHash));
  const top = [...history].sort((a, b) => b.accuracy - a.accuracy).slice(0, topK);
  const starts = timed(() => session.encode(top.map((entry) => entry.graph)));
  const trajectory = timed(() =>
    session.ascend(starts.result, { steps: latentSteps, stepSize, lambda }),
  );
  const pool: number[][] = [];
  const inPool = new Set<string>();
  const decodedCells = new Set<string>();
  const decoded = timed(() => {
    for (const points of trajectory.result) {
      session.decode(points).forEach((graph, s) => {
        try {
          const hash = space.canonicalHash(space.fromDag(unpadGraph(graphSpace, graph)));
          decodedCells.add(hash);
          if (seen.has(hash) || inPool.has(hash)) return;
          inPool.add(hash);
          pool.push(points[s] as number[]);
        } catch {
          // Invalid decodings are dropped, as the strategy does.
        }
      });
    }
  });
  const scored = timed(() => {
    const scores = session.scoreLatent(pool, lambda);
    const best = pool
      .map((point, i) => ({ point, score: scores[i] ?? Number.NEGATIVE_INFINITY }))
      .sort((a, b) => b.score - a.score)
      .slice(0, ROUND_SIZE);
    return session.predictLatent(best.map((entry) => entry.point));
  });
  return {
    encodeMs: starts.ms,
    ascentMs: trajectory.ms,
    decodeMs: decoded.ms,
    scoreMs: scored.ms,
    points: trajectory.result.flat().length,
    decodedCells: decodedCells.size,
    newCells: pool.length,
  };
}

const predictorRows: PredictorRow[] = [];
let proposal: ProposalTiming | undefined;
for (const n of LABELLED_SIZES) {
  const session = GraphVaeSession.restore(graphSpace, trainingGraphs, snapshot, trainingFlops);
  try {
    const report = await session.train(labelled(n), {
      steps: finetuneSteps.value,
      rng: stream(10 + n),
    });
    const predicted = timed(() => session.predict(heldOutGraphs));
    const accuracy = predicted.result.map((p) => p.accuracy);
    const flops = predicted.result.map((p) => p.flops);
    predictorRows.push({
      n,
      report,
      predictMs: predicted.ms,
      accuracyTau: kendallTauB(accuracy, trueAccuracy),
      topTau: kendallTauB(
        topDecile.map((i) => accuracy[i] as number),
        topDecile.map((i) => trueAccuracy[i] as number),
      ),
      accuracyRho: spearmanRho(accuracy, trueAccuracy),
      flopsTau: kendallTauB(flops, trueFlops),
      flopsRho: spearmanRho(flops, trueFlops),
    });
    if (n === PROPOSAL_LABELLED) proposal = timeProposal(session, labelledPool.slice(0, n));
  } finally {
    session.dispose();
  }
}

console.log(
  `\n## 3. Predictors on the ${heldOut.length} held-out cells after fine-tuning (${finetuneSteps.value} joint steps from the pretrained weights)\n`,
);
console.log(
  "| Labelled cells | Accuracy Kendall τ | τ, top 10 % | Accuracy Spearman ρ | FLOPs Kendall τ | FLOPs Spearman ρ | Train loss, accuracy / FLOPs |",
);
console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const row of predictorRows) {
  console.log(
    `| ${row.n} | ${fixed(row.accuracyTau)} | ${fixed(row.topTau)} | ${fixed(row.accuracyRho)} | ${fixed(row.flopsTau)} | ${fixed(row.flopsRho)} | ${fixed(row.report.loss.accuracy)} / ${fixed(row.report.loss.flops)} |`,
  );
}
console.log(
  "\nτ is tau-b and ρ is Spearman's with average ranks for ties; accuracy = cifar10_valid_acc. The labelled cells are a seeded random sample of the training cells (the 50 include the 25, the 100 include the 50, the 200 include the 100); each row fine-tunes the same pretrained weights. Train loss: MSE on standardised targets over the last 10% of the steps. A constant predictor would score 0.",
);

// ---------------------------------------------------------------------------------------------
// 4. Wall time: the strategy itself, on a history of 50 completed cells.

interface StrategyTiming {
  label: string;
  ms: number;
  candidates: number;
  info?: Record<string, unknown>;
}

async function strategyTimings(history: readonly Entry[]): Promise<StrategyTiming[]> {
  const strategy = createStrategy({ kind: "graph-vae" }, space);
  const observations: Observation[] = history.map((entry) => ({
    archString: entry.archString,
    canonicalHash: entry.canonicalHash,
    status: "completed",
    validationAccuracy: entry.accuracy,
    flops: entry.flops,
  }));
  const roundIndex = history.length / ROUND_SIZE;
  const timings: StrategyTiming[] = [];
  let state: Uint8Array | undefined;
  const labels = ["1st call (no state: pretrains, then fine-tunes)", "2nd call (1st call's state)"];
  for (const [call, label] of labels.entries()) {
    const t0 = performance.now();
    const result = await strategy.propose({
      count: ROUND_SIZE,
      history: observations,
      rng: stream(20 + call),
      roundIndex: roundIndex + call,
      ...(state ? { state } : {}),
    });
    timings.push({
      label,
      ms: performance.now() - t0,
      candidates: result.candidates.length,
      ...(result.info ? { info: result.info } : {}),
    });
    state = result.state;
  }
  return timings;
}

const strategyRuns = await strategyTimings(labelledPool.slice(0, PROPOSAL_LABELLED));

console.log(`\n## 4. Wall time per coordinator round (${backend} backend, this machine)\n`);
console.log("| Part | Wall time | Note |");
console.log("| --- | ---: | --- |");
console.log(
  `| Pretrain (before the first model round), ${pretrain.steps} steps | ${seconds(pretrain.milliseconds)} | ${fixed(pretrain.milliseconds / pretrain.steps, 1)} ms/step, ${training.length} unlabelled cells |`,
);
for (const row of predictorRows) {
  console.log(
    `| Fine-tune, ${row.n} labelled cells, ${row.report.steps} steps | ${seconds(row.report.milliseconds)} | ${fixed(row.report.milliseconds / row.report.steps, 1)} ms/step |`,
  );
}
if (proposal) {
  console.log(
    `| Proposal: encode top ${topK} | ${milliseconds(proposal.encodeMs)} | of the 50 labelled cells |`,
  );
  console.log(
    `| Proposal: latent ascent | ${milliseconds(proposal.ascentMs)} | ${latentSteps} steps × ${topK} starts |`,
  );
  console.log(
    `| Proposal: decode trajectory | ${milliseconds(proposal.decodeMs)} | ${proposal.points} points → ${proposal.decodedCells} distinct cells, ${proposal.newCells} not in the history |`,
  );
  console.log(
    `| Proposal: score and rank | ${milliseconds(proposal.scoreMs)} | scoreLatent + predictLatent of the best ${ROUND_SIZE} |`,
  );
  console.log(
    `| Proposal total | ${milliseconds(proposal.encodeMs + proposal.ascentMs + proposal.decodeMs + proposal.scoreMs)} | |`,
  );
}
console.log(
  `| Predict ${heldOut.length} cells (encode + both heads) | ${milliseconds(predictorRows[0]?.predictMs ?? Number.NaN)} | |`,
);
for (const run of strategyRuns) {
  console.log(
    `| Strategy propose(), ${run.label} | ${seconds(run.ms)} | ${run.candidates} candidates, 50 completed in history |`,
  );
}
console.log(
  `\nThe strategy rows run \`createStrategy({ kind: "graph-vae" })\` with its own defaults (${GRAPH_VAE_DEFAULTS.pretrainSteps} pretrain and ${GRAPH_VAE_DEFAULTS.finetuneSteps} fine-tune steps, whatever the flags), on the whole space as unlabelled data; the space's padded graphs were already cached in this process, so the 1st call's time is pretraining + one round. Its \`info\` (pool = distinct unseen cells the latent search found, random = candidates topped up at random):`,
);
for (const run of strategyRuns) {
  if (run.info) console.log(`\n${run.label}, info: \`${JSON.stringify(run.info)}\``);
}
console.log(
  `\nReconstruction of all cells took ${seconds(recoHeld.ms + recoTrain.ms)}. Total bench time: ${seconds(performance.now() - started)}.`,
);
