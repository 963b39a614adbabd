/**
 * Training throughput of the ENAS-6 macro child network (samples/s), measured the way
 * bench/train.ts measures NAS-Bench-201's: trainEnasCell on random uint8 images, a warm-up
 * epoch, then `--repeats` timed epochs of `--batches` batches each; EpochReport.samplesPerSecond
 * (training pass only). Test split and latency are skipped. The backend is the workers' own
 * choice (ensureBackend: NASVAE_TF_BACKEND, NASVAE_WASM_THREADS apply).
 *
 *   npx tsx packages/training/bench/enas-throughput.ts [--channels 16,32] [--batch-size 64]
 *     [--batches 4] [--repeats 2] [--image-size 32] [--input-channels 3]
 *     [--arch "[[0],[1,1],…]"] [--seed 0]
 *
 * Defaults: channels 16,32; batch size 64; 4 batches; 2 timed epochs; 32×32×3 images, 10
 * classes; the arch is the best ws_acc row of data/enas6 (line 9998).
 */
import { parseArgs } from "node:util";
import type { ImageDataset, ImageSplit } from "@nasvae/datasets";
import { createRandom, enasNetworkCost, parseEnasArchString } from "@nasvae/search-space";
import { describeBackend, ensureBackend } from "@nasvae/tf-backend";
import { trainEnasCell } from "../src/train.ts";
import type { EpochReport } from "../src/types.ts";

const DEFAULT_ARCH = "[[1],[1,0],[3,0,1],[5,0,0,0],[0,0,0,0,0],[0,1,0,0,0,0]]";
const CLASSES = 10;

const { values: args } = parseArgs({
  options: {
    channels: { type: "string", default: "16,32" },
    "batch-size": { type: "string", default: "64" },
    batches: { type: "string", default: "4" },
    repeats: { type: "string", default: "2" },
    "image-size": { type: "string", default: "32" },
    "input-channels": { type: "string", default: "3" },
    arch: { type: "string", default: DEFAULT_ARCH },
    seed: { type: "string", default: "0" },
  },
  strict: true,
});

function integer(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} must be an integer ≥ 1`);
  return number;
}

const channelsList = args.channels.split(",").map((c) => integer(c, "channels"));
const batchSize = integer(args["batch-size"], "batch-size");
const batches = integer(args.batches, "batches");
const repeats = integer(args.repeats, "repeats");
const imageSize = integer(args["image-size"], "image-size");
const inputChannels = integer(args["input-channels"], "input-channels");
const seed = Number(args.seed);
const cell = parseEnasArchString(args.arch);

/** Thrown from onEpoch after the last timed epoch: skips the test split and latency. */
class TimingDone extends Error {}

function randomSplit(count: number, rng: ReturnType<typeof createRandom>): ImageSplit {
  const images = new Uint8Array(count * imageSize * imageSize * inputChannels);
  for (let i = 0; i < images.length; i++) images[i] = rng.int(256);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) labels[i] = rng.int(CLASSES);
  return { images, labels, count };
}

await ensureBackend();
const { name: backend, threads } = await describeBackend();
console.log(
  `ENAS-6 training throughput: ${backend}${threads === undefined ? "" : ` (${threads} thread${threads === 1 ? "" : "s"})`}, arch ${args.arch}, ${imageSize}×${imageSize}×${inputChannels}, batch ${batchSize}, ${repeats} × ${batches} batches after a warm-up epoch`,
);
console.log("| channels | MFLOPs (MACs) | params | samples/s (each timed epoch) |");
console.log("| -------- | ------------- | ------ | ---------------------------- |");
for (const channels of channelsList) {
  const rng = createRandom(seed);
  const dataset: ImageDataset = {
    name: "random",
    classes: CLASSES,
    imageSize,
    channels: inputChannels,
    train: randomSplit(batchSize * batches, rng),
    validation: randomSplit(4, rng),
    test: randomSplit(4, rng),
  };
  const epochs: EpochReport[] = [];
  try {
    await trainEnasCell(
      cell,
      dataset,
      { channels, classes: CLASSES, imageSize, inputChannels },
      {
        epochs: 1 + repeats,
        batchSize,
        optimizer: "sgd",
        learningRate: 0.1,
        momentum: 0.9,
        weightDecay: 5e-4,
        augment: false,
        seed,
      },
      {
        onEpoch(report) {
          epochs.push(report);
          if (report.epoch === 1 + repeats) throw new TimingDone();
          return "continue";
        },
      },
    );
  } catch (error) {
    if (!(error instanceof TimingDone)) throw error;
  }
  const cost = enasNetworkCost(cell, { channels, imageSize, inputChannels, classes: CLASSES });
  const rates = epochs.slice(1).map((e) => e.samplesPerSecond.toFixed(1));
  console.log(
    `| ${channels} | ${(cost.flops / 1e6).toFixed(1)} | ${cost.params} | ${rates.join(", ")} |`,
  );
}
