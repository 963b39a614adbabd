import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { parseArchString, parseEnasArchString } from "@nasvae/search-space";
import { ensureBackend, tf } from "@nasvae/tf-backend";
import { CheckpointMismatchError, restoreTrainingState } from "../src/checkpoint.ts";
import { Nb201Network } from "../src/network.ts";
import { createOptimizer } from "../src/optimizer.ts";
import { trainCell, trainEnasCell } from "../src/train.ts";
import type {
  CheckpointHooks,
  EpochReport,
  NetworkShape,
  TrainingOutcome,
  TrainingRecipe,
} from "../src/types.ts";
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
const DATA = syntheticDataset({ classes: 4, imageSize: 8, train: 128, validation: 32, test: 32 });

/** Checkpoint storage in memory that records what it was asked. */
class MemoryCheckpoints implements CheckpointHooks {
  saved: Uint8Array | undefined;
  saves: number[] = [];
  resumedAfter: number | undefined;
  discarded: string | undefined;
  constructor(readonly every = 1) {}
  load = async () => this.saved;
  save = async (bytes: Uint8Array) => {
    this.saved = bytes;
    this.saves.push(bytes.byteLength);
  };
  onResume = (epoch: number) => {
    this.resumedAfter = epoch;
  };
  onDiscard = (reason: string) => {
    this.discarded = reason;
  };
}

/** The figures a resumed run must reproduce (timings differ from run to run). */
function figures(outcome: TrainingOutcome<unknown>) {
  return {
    epochsRun: outcome.epochsRun,
    validationAccuracy: outcome.validationAccuracy,
    testAccuracy: outcome.testAccuracy,
    testLoss: outcome.testLoss,
    curve: outcome.curve.map((e) => [e.epoch, e.trainLoss, e.validationLoss, e.learningRate]),
  };
}

/** Runs `train` with `hooks`, crashing (throwing) in onEpoch of epoch `crashAt`. */
async function crashAt(
  crashEpoch: number,
  hooks: CheckpointHooks,
  train: (callbacks: Parameters<typeof trainCell>[4]) => Promise<unknown>,
): Promise<void> {
  await assert.rejects(
    train({
      checkpoint: hooks,
      onEpoch: (report: EpochReport) => {
        if (report.epoch === crashEpoch) throw new Error("killed");
        return "continue";
      },
    }),
    /killed/,
  );
}

for (const optimizer of ["sgd", "adam"] as const) {
  describe(`training checkpoints (${optimizer})`, () => {
    const recipe: TrainingRecipe = {
      ...RECIPE,
      optimizer,
      learningRate: optimizer === "adam" ? 0.003 : 0.1,
    };

    test("a run resumed after a crash ends exactly as one that never stopped", async () => {
      const straight = await trainCell(CELL, DATA, SHAPE, recipe);
      const store = new MemoryCheckpoints();
      // Crashes in epoch 2's callback: the checkpoint of epoch 1 is the last one saved.
      await crashAt(2, store, (callbacks) => trainCell(CELL, DATA, SHAPE, recipe, callbacks));
      assert.equal(store.saves.length, 1);
      const before = tf.memory().numTensors;
      const epochsSeen: number[] = [];
      const resumed = await trainCell(CELL, DATA, SHAPE, recipe, {
        checkpoint: store,
        onEpoch: (report) => {
          epochsSeen.push(report.epoch);
          return "continue";
        },
      });
      assert.equal(tf.memory().numTensors, before, "no tensor leaked");
      assert.equal(store.resumedAfter, 1);
      assert.deepEqual(epochsSeen, [2, 3], "epoch 1 was not trained again");
      assert.deepEqual(figures(resumed), figures(straight));
      // Saved after epochs 1 and 2 of the resumed run too, never after the last.
      assert.equal(store.saves.length, 2);
    });
  });
}

test("ENAS-6 networks resume too", async () => {
  const cell = parseEnasArchString("[[0],[3,1],[1,0,1],[4,1,0,0],[2,0,1,1,0],[5,1,0,0,1,1]]");
  const shape = { channels: 4, classes: 4, imageSize: 8 };
  const recipe = { ...RECIPE, epochs: 2 };
  const straight = await trainEnasCell(cell, DATA, shape, recipe);
  const store = new MemoryCheckpoints();
  await crashAt(2, store, (callbacks) => trainEnasCell(cell, DATA, shape, recipe, callbacks));
  const resumed = await trainEnasCell(cell, DATA, shape, recipe, { checkpoint: store });
  assert.equal(store.resumedAfter, 1);
  assert.deepEqual(figures(resumed), figures(straight));
});

test("checkpoints every N epochs; a checkpoint of another recipe or network is discarded", async () => {
  const recipe = { ...RECIPE, epochs: 5 };
  const every2 = new MemoryCheckpoints(2);
  await trainCell(CELL, DATA, SHAPE, recipe, { checkpoint: every2 });
  assert.equal(every2.saves.length, 2, "after epochs 2 and 4");

  const store = new MemoryCheckpoints();
  await crashAt(2, store, (callbacks) => trainCell(CELL, DATA, SHAPE, RECIPE, callbacks));
  const other = await trainCell(
    CELL,
    DATA,
    SHAPE,
    { ...RECIPE, seed: 2 },
    {
      checkpoint: { ...store, every: 1, load: store.load, save: async () => {} },
    },
  );
  assert.equal(other.epochsRun, 3);
  assert.equal(store.resumedAfter, undefined);
  assert.match(store.discarded ?? "", /another training recipe/);

  const bytes = store.saved;
  assert.ok(bytes);
  const wider = new Nb201Network(CELL, { ...SHAPE, channels: 8 });
  const optimizer = createOptimizer(wider.trainableParameters(), RECIPE);
  try {
    assert.throws(
      () => restoreTrainingState(bytes, wider, optimizer, RECIPE),
      CheckpointMismatchError,
    );
    assert.throws(
      () => restoreTrainingState(bytes.subarray(0, bytes.length - 4), wider, optimizer, RECIPE),
      CheckpointMismatchError,
    );
    assert.throws(
      () => restoreTrainingState(new Uint8Array(8), wider, optimizer, RECIPE),
      /not a checkpoint/,
    );
  } finally {
    optimizer.dispose();
    wider.dispose();
  }
});
