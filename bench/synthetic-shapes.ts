// How hard is `synthetic-shapes` (packages/datasets)? Trains, on the generated splits, models with
// and without spatial priors, and checks that colour alone says nothing about the class:
//
//   NASVAE_TF_BACKEND=wasm npx tsx bench/synthetic-shapes.ts [--epochs 20]
//
// A fair stand-in for CIFAR-10 should be learnable by a small conv net and clearly harder for a
// linear classifier on pixels. docs/datasets.md quotes the figures. Prints a markdown table.
import { generateSyntheticShapes, type ImageSplit } from "@nasvae/datasets";
import { ensureBackend, tf } from "@nasvae/tf-backend";

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
