/**
 * Child process of bench/train.ts: times training on ONE TensorFlow.js backend, the one
 * NASVAE_TF_BACKEND forces (describeBackend of @nasvae/tf-backend, exactly as workers pick theirs;
 * wasm on NASVAE_WASM_THREADS threads, passed through from bench/train.ts's environment).
 * Started through `node --import tsx` with an IPC channel; receives one WorkerRequest, answers
 * each workload as soon as it is measured (a later crash or timeout keeps the earlier figures),
 * then exits.
 */
import type { ImageDataset, ImageSplit } from "@nasvae/datasets";
import { defaultGraphVaeConfig, GraphVaeSession, type LabelledGraph } from "@nasvae/graph-vae";
import {
  createRandom,
  nasBench201SearchSpace,
  parseArchString,
  type Random,
} from "@nasvae/search-space";
import { spaceGraphs } from "@nasvae/strategies";
import { type BackendDescription, describeBackend, setWasmThreads, tf } from "@nasvae/tf-backend";
import {
  type EpochDecision,
  type EpochReport,
  measuredCost,
  Nb201Network,
  type NetworkShape,
  type TrainingRecipe,
  trainCell,
} from "@nasvae/training";
import type {
  GraphVaeWorkload,
  Measurement,
  Nb201Workload,
  WorkerMessage,
  WorkerRequest,
} from "./train-protocol.ts";

const send = process.send?.bind(process);
if (!send) throw new Error("train-worker.ts runs as a child of bench/train.ts (needs IPC)");
const post = (message: WorkerMessage) =>
  new Promise<void>((resolve) => send(message, undefined, {}, () => resolve()));

const errorText = (error: unknown) =>
  error instanceof Error ? error.message.split("\n")[0] || error.name : String(error);

const forced = process.env.NASVAE_TF_BACKEND;

/** User + system CPU time of this process so far, in seconds. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * For `tensorflow`: the native package that imports (ensureBackend tries tfjs-node-gpu first),
 * or why none does, in a few words (ensureBackend itself only says that it failed).
 */
async function nativePackage(): Promise<{ name?: string; error?: string }> {
  if (forced !== "tensorflow") return {};
  const reasons: string[] = [];
  const missing: string[] = [];
  for (const name of ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) {
    try {
      await import(name);
      return { name };
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_MODULE_NOT_FOUND") missing.push(name);
      else reasons.push(`${name}: ${errorText(error)}`);
    }
  }
  if (missing.length > 0) reasons.push(`not installed here (${missing.join(", ")})`);
  return { error: reasons.join("; ") };
}

// ---------------------------------------------------------------------------------------------
// NAS-Bench-201 network: trainCell of @nasvae/training (the evaluator's own training loop:
// batch building, forward, gradients, optimiser) on an in-memory synthetic dataset.

function randomSplit(count: number, workload: Nb201Workload, rng: Random): ImageSplit {
  const size = workload.imageSize * workload.imageSize * 3;
  const images = new Uint8Array(count * size);
  for (let i = 0; i < images.length; i++) images[i] = rng.int(256);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) labels[i] = rng.int(workload.classes);
  return { images, labels, count };
}

/** Stops trainCell once the timed epochs are done, skipping its closing test and latency runs. */
class TimingDone extends Error {}

async function timeNb201(workload: Nb201Workload, seed: number): Promise<Measurement> {
  const rng = createRandom(seed);
  const { batchSize, batches, repeats } = workload;
  const cell = parseArchString(workload.archString);
  // Validation is tiny: trainCell runs it after every epoch, outside the timed training pass.
  const evalCount = 4;
  const dataset: ImageDataset = {
    name: "synthetic",
    classes: workload.classes,
    imageSize: workload.imageSize,
    channels: 3,
    train: randomSplit(batchSize * batches, workload, rng),
    validation: randomSplit(evalCount, workload, rng),
    test: randomSplit(evalCount, workload, rng),
  };
  const shape: NetworkShape = {
    channels: workload.channels,
    cellsPerStage: workload.cellsPerStage,
    classes: workload.classes,
    imageSize: workload.imageSize,
  };
  // Parameters of the network trainCell builds, counted the way it counts them.
  const network = new Nb201Network(cell, shape, { seed });
  const params = measuredCost(network).params;
  network.dispose();

  const recipe: TrainingRecipe = {
    epochs: 1 + repeats,
    batchSize,
    optimizer: "sgd",
    learningRate: 0.1,
    momentum: 0.9,
    weightDecay: 5e-4,
    augment: workload.augment,
    seed,
  };
  const epochs: EpochReport[] = [];
  /** process.cpuUsage() at the end of each epoch (validation of 4 images included). */
  const cpuAt: number[] = [];
  try {
    await trainCell(cell, dataset, shape, recipe, {
      onEpoch(report): EpochDecision {
        epochs.push(report);
        cpuAt.push(cpuSeconds());
        process.stderr.write(
          `[${tf.getBackend()}] ${workload.label}: epoch ${report.epoch}/${report.epochs}, ${report.samplesPerSecond.toFixed(1)} samples/s${report.epoch === 1 ? " (warm-up)" : ""}\n`,
        );
        if (report.epoch === 1 + repeats) throw new TimingDone();
        return "continue";
      },
    });
  } catch (error) {
    if (!(error instanceof TimingDone)) {
      return { label: workload.label, params, error: `trainCell: ${errorText(error)}` };
    }
  }
  const timed = epochs.slice(1);
  if (timed.length === 0) return { label: workload.label, error: "no timed epoch finished" };
  return {
    label: workload.label,
    samplesPerSecond: timed.map((e) => e.samplesPerSecond),
    samplesPerCpuSecond: timed.map(
      (_, i) => (batchSize * batches) / ((cpuAt[i + 1] ?? 0) - (cpuAt[i] ?? 0)),
    ),
    params,
    timing: `trainCell on synthetic uint8 images, ${repeats} × ${batches} batch(es) after a warm-up epoch of ${batches}; EpochReport.samplesPerSecond (training pass only)`,
  };
}

// ---------------------------------------------------------------------------------------------
// The graph VAE and its predictors: GraphVaeSession.train, the strategy's own training path.

async function timeGraphVae(workload: GraphVaeWorkload, seed: number): Promise<Measurement> {
  const { graphSpace, unlabelled } = await spaceGraphs(nasBench201SearchSpace);
  const rng = createRandom(seed);
  const labelled: LabelledGraph[] = Array.from({ length: workload.labelled }, () => ({
    graph: unlabelled[rng.int(unlabelled.length)] as LabelledGraph["graph"],
    accuracy: 60 + 35 * rng.next(),
    flops: 1e7 + 2e8 * rng.next(),
  }));
  const session = GraphVaeSession.create(graphSpace, unlabelled, {}, seed);
  try {
    const { labelledBatch, unlabelledBatch } = defaultGraphVaeConfig;
    const perStep = Math.min(labelledBatch, 2 * labelled.length) + unlabelledBatch;
    const params = session.model.variables().reduce((sum, v) => sum + v.size, 0);
    await session.train(labelled, { steps: workload.warmup, rng });
    const rates: number[] = [];
    const cpuRates: number[] = [];
    for (let r = 0; r < workload.repeats; r++) {
      const cpu = cpuSeconds();
      const report = await session.train(labelled, { steps: workload.steps, rng });
      cpuRates.push((workload.steps * perStep) / (cpuSeconds() - cpu));
      rates.push((workload.steps * perStep) / (report.milliseconds / 1000));
    }
    return {
      label: workload.label,
      samplesPerSecond: rates,
      samplesPerCpuSecond: cpuRates,
      params,
      timing: `GraphVaeSession.train, ${perStep} graphs/step (${labelledBatch} labelled + ${unlabelledBatch} unlabelled); ${workload.repeats} × ${workload.steps} steps after ${workload.warmup} warm-up steps; graphs/s`,
    };
  } finally {
    session.dispose();
  }
}

// ---------------------------------------------------------------------------------------------

process.once("message", (request: WorkerRequest) => {
  void (async () => {
    try {
      const native = await nativePackage();
      if (native.error) {
        await post({ kind: "fatal", error: native.error });
        return;
      }
      let backend: BackendDescription;
      try {
        // As a worker does with its NASVAE_WASM_THREADS (default 1).
        setWasmThreads(Number(process.env.NASVAE_WASM_THREADS ?? "1"));
        backend = await describeBackend();
      } catch (error) {
        await post({ kind: "fatal", error: errorText(error) });
        return;
      }
      await post({
        kind: "backend",
        backend: backend.name,
        tfjsVersion: tf.version_core,
        ...(native.name ? { note: native.name } : {}),
        ...(backend.threads !== undefined ? { threads: backend.threads } : {}),
        ...(backend.note ? { threadsNote: backend.note } : {}),
      });
      for (const workload of request.workloads) {
        let measurement: Measurement;
        try {
          measurement =
            workload.kind === "nb201"
              ? await timeNb201(workload, request.seed)
              : await timeGraphVae(workload, request.seed);
        } catch (error) {
          measurement = { label: workload.label, error: errorText(error) };
        }
        await post({ kind: "result", measurement });
      }
      await post({ kind: "done" });
    } catch (error) {
      await post({ kind: "fatal", error: errorText(error) });
    } finally {
      process.disconnect();
      process.exit(0);
    }
  })();
});
