import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { parseArchString } from "@nasvae/search-space";
import { ensureBackend, tf } from "@nasvae/tf-backend";
import { trainCell } from "../src/train.ts";
import type { EpochReport, NetworkShape, TrainingRecipe } from "../src/types.ts";
import { TrainingInputError } from "../src/validate.ts";
import { syntheticDataset } from "./synthetic.ts";

before(async () => {
  await ensureBackend();
});

const CELL = parseArchString(
  "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|",
);
const SHAPE: NetworkShape = { channels: 4, cellsPerStage: 1, classes: 4, imageSize: 8 };
const RECIPE: TrainingRecipe = {
  epochs: 3,
  batchSize: 32,
  optimizer: "sgd",
  learningRate: 0.1,
  momentum: 0.9,
  weightDecay: 5e-4,
  augment: true,
  seed: 1,
};
const DATA = syntheticDataset({ classes: 4, imageSize: 8, train: 256, validation: 64, test: 64 });

/** A few images of 4x4 pixels: for runs that only need to go through the motions. */
const SMALL_DATA = syntheticDataset({ classes: 2, imageSize: 4, train: 8, validation: 4, test: 4 });
const SMALL_SHAPE: NetworkShape = { channels: 2, cellsPerStage: 1, classes: 2, imageSize: 4 };
const SMALL_RECIPE: TrainingRecipe = { ...RECIPE, epochs: 1, batchSize: 4 };

describe("trainCell", () => {
  test("learns the synthetic set: validation and test accuracy well above chance (25%)", async () => {
    const before = tf.memory().numTensors;
    const epochs: EpochReport[] = [];
    const outcome = await trainCell(CELL, DATA, SHAPE, RECIPE, {
      onEpoch: (report) => {
        epochs.push(report);
        return "continue";
      },
    });
    assert.equal(tf.memory().numTensors, before);
    assert.equal(outcome.epochsRun, 3);
    assert.equal(outcome.stoppedEarly, false);
    assert.deepEqual(outcome.curve, epochs);
    assert.deepEqual(
      epochs.map((e) => [e.epoch, e.epochs]),
      [
        [1, 3],
        [2, 3],
        [3, 3],
      ],
    );
    assert.ok(outcome.validationAccuracy >= 50, `validation ${outcome.validationAccuracy}%`);
    assert.ok(outcome.testAccuracy >= 50, `test ${outcome.testAccuracy}%`);
    const [firstEpoch, , lastEpoch] = epochs;
    assert.ok(firstEpoch && lastEpoch);
    assert.ok(lastEpoch.trainLoss < firstEpoch.trainLoss, "training loss goes down");
    // Cosine schedule: decreasing, from below the base rate.
    assert.ok(firstEpoch.learningRate < 0.1 && lastEpoch.learningRate < firstEpoch.learningRate);
    assert.equal(outcome.validationAccuracy, lastEpoch.validationAccuracy);
    assert.ok(outcome.flops > 0 && outcome.params > 0);
    assert.ok(outcome.latencyMs.batch1 > 0 && outcome.latencyMs.batch256 > 0);
    assert.ok(outcome.samplesPerSecond > 0 && outcome.trainingTimeMs > 0);
    assert.equal(outcome.backend, tf.getBackend());
  });

  test("the same seed gives the same losses on the same backend; another seed does not", async () => {
    const losses = async (seed: number) => {
      const outcome = await trainCell(CELL, SMALL_DATA, SMALL_SHAPE, {
        ...SMALL_RECIPE,
        epochs: 2,
        seed,
      });
      return outcome.curve.map((e) => [e.trainLoss, e.validationLoss]);
    };
    const first = await losses(11);
    assert.deepEqual(await losses(11), first);
    assert.notDeepEqual(await losses(12), first);
  });

  test("onEpoch 'stop' before the last epoch: stopped early, with the figures of that epoch", async () => {
    const outcome = await trainCell(
      CELL,
      SMALL_DATA,
      SMALL_SHAPE,
      { ...SMALL_RECIPE, epochs: 3 },
      {
        onEpoch: async (report) => (report.epoch === 2 ? "stop" : "continue"),
      },
    );
    assert.equal(outcome.stoppedEarly, true);
    assert.equal(outcome.epochsRun, 2);
    assert.equal(outcome.curve.length, 2);
    assert.equal(outcome.validationAccuracy, outcome.curve[1]?.validationAccuracy);
    assert.ok(Number.isFinite(outcome.testLoss));
  });

  test("onEpoch 'stop' after the last epoch is a finished run", async () => {
    const outcome = await trainCell(
      CELL,
      SMALL_DATA,
      SMALL_SHAPE,
      { ...SMALL_RECIPE, epochs: 2 },
      {
        onEpoch: () => "stop",
      },
    );
    assert.equal(outcome.stoppedEarly, true, "stopped after epoch 1 of 2");
    const finished = await trainCell(CELL, SMALL_DATA, SMALL_SHAPE, SMALL_RECIPE, {
      onEpoch: () => "stop",
    });
    assert.equal(finished.stoppedEarly, false);
    assert.equal(finished.epochsRun, 1);
  });

  test("an onEpoch that throws rejects the run and leaves no tensor behind", async () => {
    const before = tf.memory().numTensors;
    await assert.rejects(
      trainCell(CELL, SMALL_DATA, SMALL_SHAPE, SMALL_RECIPE, {
        onEpoch: () => {
          throw new Error("cancelled by the test");
        },
      }),
      /cancelled by the test/,
    );
    assert.equal(tf.memory().numTensors, before);
  });

  test("100 small evaluations do not grow the tensor count or backend memory", async () => {
    const cells = [
      CELL,
      parseArchString("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"),
      parseArchString("|avg_pool_3x3~0|+|skip_connect~0|none~1|+|nor_conv_1x1~0|none~1|none~2|"),
    ];
    // One run first: backends allocate lasting scratch memory on first use of a kernel.
    await trainCell(CELL, SMALL_DATA, SMALL_SHAPE, SMALL_RECIPE);
    const tensors = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    for (let i = 0; i < 100; i++) {
      const cell = cells[i % cells.length] ?? CELL;
      const recipe = { ...SMALL_RECIPE, seed: i, optimizer: i % 2 ? "adam" : "sgd" } as const;
      await trainCell(cell, SMALL_DATA, SMALL_SHAPE, recipe);
    }
    assert.equal(tf.memory().numTensors, tensors);
    assert.equal(tf.memory().numBytes, bytes);
  });

  test("rejects invalid shapes, recipes and mismatched datasets with a clear message", async () => {
    const cases: [string, Promise<unknown>, RegExp][] = [
      ["imageSize", trainCell(CELL, DATA, { ...SHAPE, imageSize: 10 }, RECIPE), /divisible by 4/],
      [
        "channels",
        trainCell(CELL, DATA, { ...SHAPE, channels: 0 }, RECIPE),
        /channels must be a positive integer/,
      ],
      [
        "batch size",
        trainCell(CELL, DATA, SHAPE, { ...RECIPE, batchSize: 1 }),
        /batchSize must be at least 2/,
      ],
      [
        "optimizer",
        trainCell(CELL, DATA, SHAPE, { ...RECIPE, optimizer: "rmsprop" as "sgd" }),
        /optimizer/,
      ],
      [
        "learning rate",
        trainCell(CELL, DATA, SHAPE, { ...RECIPE, learningRate: Number.NaN }),
        /learningRate/,
      ],
      [
        "classes",
        trainCell(CELL, DATA, { ...SHAPE, classes: 10 }, RECIPE),
        /4 classes but the network shape has 10/,
      ],
      ["size", trainCell(CELL, DATA, { ...SHAPE, imageSize: 32 }, RECIPE), /8x8 images/],
    ];
    for (const [what, run, message] of cases) {
      await assert.rejects(run, (error: Error) => {
        assert.ok(error instanceof TrainingInputError, what);
        assert.match(error.message, message, what);
        return true;
      });
    }
  });
});
