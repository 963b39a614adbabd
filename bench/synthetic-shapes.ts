// How hard is `synthetic-shapes` (packages/datasets)? Trains, on the generated splits, models with
// and without spatial priors, and checks that colour alone says nothing about the class:
//
//   NASVAE_TF_BACKEND=wasm npx tsx bench/synthetic-shapes.ts [--epochs 20]
//
// A fair stand-in for CIFAR-10 should be learnable by a small conv net and clearly harder for a
// linear classifier on pixels. docs/datasets.md quotes the figures. Prints a markdown table.
//
// With --cells 1,5 it trains instead what the project's short runs train: the NAS-Bench-201
// network (N=1, C=8) of a conv cell and of a cell of skips and pools, with the train evaluator's
// default recipe, for each listed number of epochs, and prints validation / test accuracy.
import { generateSyntheticShapes, type ImageSplit } from "@nasvae/datasets";
import { parseArchString } from "@nasvae/search-space";
import { ensureBackend, tf } from "@nasvae/tf-backend";
import { trainCell } from "@nasvae/training";

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}
const epochs = Number(flag("epochs", "20"));
const learningRate = Number(flag("lr", "0.003"));
/** Which models to train (comma-separated keys of `models`); default all. */
const only = flag("models", "linear,mlp,conv").split(",");

const backend = await ensureBackend();
const dataset = generateSyntheticShapes();

const cellEpochs = flag("cells", "");
if (cellEpochs !== "") {
  const cells = {
    conv: "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|",
    "skips and pools":
      "|avg_pool_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|skip_connect~0|avg_pool_3x3~1|skip_connect~2|",
  };
  const counts = cellEpochs.split(",").map(Number);
  console.log(`| cell | ${counts.map((n) => `${n} epoch${n === 1 ? "" : "s"}`).join(" | ")} |`);
  console.log(`| --- |${counts.map(() => " --- |").join("")}`);
  for (const [name, arch] of Object.entries(cells)) {
    const figures: string[] = [];
    for (const epochs of counts) {
      // The train evaluator's defaults (packages/evaluators/src/train/train-spec.ts), N=1, C=8.
      const outcome = await trainCell(
        parseArchString(arch),
        dataset,
        { channels: 8, cellsPerStage: 1, classes: dataset.classes, imageSize: dataset.imageSize },
        {
          epochs,
          batchSize: 64,
          optimizer: "sgd",
          learningRate: 0.1,
          momentum: 0.9,
          weightDecay: 5e-4,
          augment: true,
          seed: 0,
        },
      );
      const curve = outcome.curve.map((r) => `${r.validationAccuracy.toFixed(1)}%`).join(", ");
      process.stderr.write(
        `${name}, ${epochs} epoch${epochs === 1 ? "" : "s"}: validation ${curve}; ${(outcome.trainingTimeMs / 1000).toFixed(0)} s\n`,
      );
      figures.push(
        `${outcome.validationAccuracy.toFixed(1)}% / ${outcome.testAccuracy.toFixed(1)}%`,
      );
    }
    console.log(`| ${name}: \`${arch.replaceAll("|", "\\|")}\` | ${figures.join(" | ")} |`);
  }
  process.exit(0);
}
const { classes, imageSize, channels } = dataset;
const shape = [imageSize, imageSize, channels];

function tensors(split: ImageSplit): { x: tf.Tensor4D; y: tf.Tensor2D } {
  return tf.tidy(() => ({
    x: tf
      .tensor4d(split.images, [split.count, imageSize, imageSize, channels], "float32")
      .div(127.5)
      .sub(1),
    y: tf.oneHot(tf.tensor1d(split.labels, "int32"), classes).toFloat() as tf.Tensor2D,
  }));
}

const train = tensors(dataset.train);
const validation = tensors(dataset.validation);
const test = tensors(dataset.test);

/** Nearest class mean on each image's mean colour: near chance if colour carries no class. */
function colourOnlyAccuracy(): number {
  const meanColour = (split: ImageSplit, i: number) => {
    const sums = [0, 0, 0];
    const size = imageSize * imageSize * channels;
    for (let k = 0; k < size; k += 1) {
      sums[k % 3] = (sums[k % 3] as number) + (split.images[i * size + k] as number);
    }
    return sums.map((sum) => (sum * 3) / size);
  };
  const centroids = Array.from({ length: classes }, () => [0, 0, 0]);
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < dataset.train.count; i += 1) {
    const label = dataset.train.labels[i] as number;
    const colour = meanColour(dataset.train, i);
    (centroids[label] as number[]).forEach((_, c, row) => {
      row[c] = (row[c] as number) + (colour[c] as number);
    });
    counts[label] = (counts[label] as number) + 1;
  }
  for (const [label, row] of centroids.entries()) {
    for (let c = 0; c < 3; c += 1) row[c] = (row[c] as number) / (counts[label] as number);
  }
  let correct = 0;
  for (let i = 0; i < dataset.test.count; i += 1) {
    const colour = meanColour(dataset.test, i);
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const [label, row] of centroids.entries()) {
      const d = row.reduce((sum, value, c) => sum + (value - (colour[c] as number)) ** 2, 0);
      if (d < bestDistance) [best, bestDistance] = [label, d];
    }
    if (best === dataset.test.labels[i]) correct += 1;
  }
  return correct / dataset.test.count;
}

const seed = 1;
const models: Record<string, [label: string, build: () => tf.Sequential]> = {
  linear: [
    "linear (softmax on pixels)",
    () =>
      tf.sequential({
        layers: [
          tf.layers.flatten({ inputShape: shape }),
          tf.layers.dense({ units: classes, activation: "softmax", kernelInitializer: init() }),
        ],
      }),
  ],
  mlp: [
    "MLP (one hidden layer of 256, no spatial prior)",
    () =>
      tf.sequential({
        layers: [
          tf.layers.flatten({ inputShape: shape }),
          tf.layers.dense({ units: 256, activation: "relu", kernelInitializer: init() }),
          tf.layers.dense({ units: classes, activation: "softmax", kernelInitializer: init() }),
        ],
      }),
  ],
  conv: [
    "small conv net (3 conv layers 16-32-64, max pooling, global average pooling)",
    () =>
      tf.sequential({
        layers: [
          conv(16, { inputShape: shape }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          conv(32),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          conv(64),
          tf.layers.globalAveragePooling2d({}),
          tf.layers.dense({ units: classes, activation: "softmax", kernelInitializer: init() }),
        ],
      }),
  ],
};

let initSeed = seed;
function init() {
  initSeed += 1;
  return tf.initializers.glorotUniform({ seed: initSeed });
}
function conv(filters: number, extra: { inputShape?: number[] } = {}) {
  return tf.layers.conv2d({
    filters,
    kernelSize: 3,
    padding: "same",
    activation: "relu",
    kernelInitializer: init(),
    ...extra,
  });
}

const rows: string[] = [];
rows.push(
  `| colour only (nearest class mean of the mean colour) | — | — | ${pct(colourOnlyAccuracy())} |`,
);
for (const [key, [name, build]] of Object.entries(models)) {
  if (!only.includes(key)) continue;
  const model = build();
  model.compile({
    optimizer: tf.train.adam(learningRate),
    loss: "categoricalCrossentropy",
    metrics: ["acc"],
  });
  const started = performance.now();
  const history = await model.fit(train.x, train.y, {
    epochs,
    batchSize: 64,
    // tfjs shuffles with Math.random; the generated training set is in random order already.
    shuffle: false,
    validationData: [validation.x, validation.y],
    verbose: 0,
    callbacks: {
      onEpochEnd: async (epoch, logs) => {
        process.stderr.write(
          `${key} epoch ${epoch + 1}: train ${pct(logs?.acc ?? 0)}, validation ${pct(logs?.val_acc ?? 0)}\n`,
        );
      },
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const [, testAccuracy] = model.evaluate(test.x, test.y) as tf.Scalar[];
  const trainAccuracy = (history.history.acc as number[]).at(-1) as number;
  const validationAccuracy = (history.history.val_acc as number[]).at(-1) as number;
  rows.push(
    `| ${name} | ${model.countParams().toLocaleString("en")} | ${pct(trainAccuracy)} / ${pct(validationAccuracy)} | ${pct((await testAccuracy?.data())?.[0] ?? Number.NaN)} |`,
  );
  process.stderr.write(`${name}: ${seconds.toFixed(0)} s\n`);
  model.dispose();
}

console.log(
  `synthetic-shapes: ${dataset.train.count} train / ${dataset.validation.count} validation / ${dataset.test.count} test, ${classes} classes (chance ${pct(1 / classes)}); ${epochs} epochs of Adam (lr ${learningRate}, batch 64); backend ${backend}\n`,
);
console.log("| model | params | train / validation accuracy | test accuracy |");
console.log("| --- | --- | --- | --- |");
for (const row of rows) console.log(row);

function pct(value: number): string {
  return `${(100 * value).toFixed(1)}%`;
}
