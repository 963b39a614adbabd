import type { ImageDataset, ImageSplit } from "@nasvae/datasets";
import type { EnasNetworkShape, ImageShape, NetworkShape, TrainingRecipe } from "./types.ts";

/** A shape, recipe or dataset that cannot be trained: retrying will not help. */
export class TrainingInputError extends Error {
  override name = "TrainingInputError";
}

function fail(message: string): never {
  throw new TrainingInputError(message);
}

function positiveInteger(what: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    fail(`${what} must be a positive integer, got ${String(value)}`);
  }
}

function finiteAtLeastZero(what: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    fail(`${what} must be a finite number >= 0, got ${String(value)}`);
  }
}

/** Checks a NAS-Bench-201 network shape on its own. */
export function validateShape(shape: NetworkShape): void {
  positiveInteger("network shape channels", shape.channels);
  positiveInteger("network shape cellsPerStage", shape.cellsPerStage);
  validateImageShape(shape);
}

/** Checks an ENAS-6 network shape on its own. */
export function validateEnasShape(shape: EnasNetworkShape): void {
  positiveInteger("network shape channels", shape.channels);
  validateImageShape(shape);
}

function validateImageShape(shape: ImageShape): void {
  positiveInteger("network shape classes", shape.classes);
  positiveInteger("network shape imageSize", shape.imageSize);
  if (shape.inputChannels !== undefined)
    positiveInteger("network shape inputChannels", shape.inputChannels);
  if (shape.imageSize % 4 !== 0) {
    fail(
      `network shape imageSize must be divisible by 4 (two stride-2 reductions), got ${shape.imageSize}`,
    );
  }
}

/** Checks a training recipe on its own. */
export function validateRecipe(recipe: TrainingRecipe): void {
  positiveInteger("recipe epochs", recipe.epochs);
  positiveInteger("recipe batchSize", recipe.batchSize);
  if (recipe.batchSize < 2) fail("recipe batchSize must be at least 2 (batch norm needs a batch)");
  if (recipe.optimizer !== "sgd" && recipe.optimizer !== "adam") {
    fail(`recipe optimizer must be "sgd" or "adam", got ${String(recipe.optimizer)}`);
  }
  finiteAtLeastZero("recipe learningRate", recipe.learningRate);
  if (recipe.learningRate === 0) fail("recipe learningRate must be > 0, got 0");
  finiteAtLeastZero("recipe momentum", recipe.momentum);
  if (recipe.momentum >= 1) fail(`recipe momentum must be in [0, 1), got ${recipe.momentum}`);
  finiteAtLeastZero("recipe weightDecay", recipe.weightDecay);
  if (typeof recipe.augment !== "boolean")
    fail(`recipe augment must be a boolean, got ${String(recipe.augment)}`);
  if (!Number.isInteger(recipe.seed))
    fail(`recipe seed must be an integer, got ${String(recipe.seed)}`);
}

/** Checks that a dataset fits the shape and that every split is usable. */
export function validateDataset(dataset: ImageDataset, shape: ImageShape): void {
  const name = `dataset ${dataset.name}`;
  if (dataset.imageSize !== shape.imageSize) {
    fail(
      `${name} has ${dataset.imageSize}x${dataset.imageSize} images but the network expects imageSize ${shape.imageSize}`,
    );
  }
  if (dataset.classes !== shape.classes) {
    fail(`${name} has ${dataset.classes} classes but the network shape has ${shape.classes}`);
  }
  const inputChannels = shape.inputChannels ?? 3;
  if (dataset.channels !== inputChannels) {
    fail(
      `${name} has ${dataset.channels} colour channels but the network's stem expects ${inputChannels} (shape inputChannels)`,
    );
  }
  const pixels = dataset.imageSize * dataset.imageSize * dataset.channels;
  const splits: [string, ImageSplit, number][] = [
    ["train", dataset.train, 2],
    ["validation", dataset.validation, 1],
    ["test", dataset.test, 1],
  ];
  for (const [split, data, minimum] of splits) {
    if (!Number.isInteger(data.count) || data.count < minimum) {
      fail(`${name} ${split} split needs at least ${minimum} images, has ${String(data.count)}`);
    }
    if (data.images.length !== data.count * pixels || data.labels.length !== data.count) {
      fail(
        `${name} ${split} split holds ${data.images.length} image bytes and ${data.labels.length} labels for ${data.count} images of ${pixels} bytes`,
      );
    }
    for (const label of data.labels) {
      if (label >= dataset.classes)
        fail(`${name} ${split} split has label ${label} >= classes ${dataset.classes}`);
    }
  }
}
