import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EvaluatorSpecError, TRAIN_SPEC_DEFAULTS, validateEvaluatorSpec } from "@nasvae/contracts";
import {
  evaluatorFingerprint,
  evaluatorFingerprintPayload,
  TRAINER_VERSION,
} from "../src/index.ts";

const minimal = { kind: "train", dataset: "synthetic-shapes" };

function rejects(value: unknown, message: RegExp): void {
  assert.throws(
    () => validateEvaluatorSpec(value),
    (error: unknown) => {
      assert.ok(error instanceof EvaluatorSpecError, String(error));
      assert.match(error.message, message);
      return true;
    },
  );
}

describe("train evaluator specs", () => {
  test("fill in NAS-Bench-201-like defaults", () => {
    assert.deepEqual(validateEvaluatorSpec(minimal), {
      kind: "train",
      dataset: "synthetic-shapes",
      epochs: 12,
      batchSize: 64,
      cellsPerStage: 5,
      channels: 16,
      optimizer: "sgd",
      learningRate: 0.1,
      momentum: 0.9,
      weightDecay: 5e-4,
      augment: true,
      seed: 0,
    });
    assert.deepEqual(
      validateEvaluatorSpec({ ...minimal, earlyStopping: { rule: "median", afterEpochs: 3 } }),
      {
        kind: "train",
        dataset: "synthetic-shapes",
        ...TRAIN_SPEC_DEFAULTS,
        earlyStopping: { rule: "median", afterEpochs: 3, minPeers: 3 },
      },
    );
  });

  test("keep what is given", () => {
    const full = {
      kind: "train",
      dataset: "cifar100",
      epochs: 2,
      batchSize: 32,
      cellsPerStage: 1,
      channels: 8,
      optimizer: "adam",
      learningRate: 0.001,
      momentum: 0,
      weightDecay: 0,
      augment: false,
      seed: 7,
      trainSamples: 100,
      earlyStopping: { rule: "median", afterEpochs: 1, minPeers: 1 },
    };
    assert.deepEqual(validateEvaluatorSpec(full), full);
  });

  test("reject unknown keys, datasets and out-of-range values, naming them", () => {
    rejects({ ...minimal, lr: 0.1 }, /Unknown train evaluator spec field\(s\): lr/);
    rejects(
      { ...minimal, dataset: "mnist" },
      /Unknown train dataset "mnist" \(expected one of synthetic-shapes, cifar10, cifar100, fashion-mnist\)/,
    );
    rejects({ ...minimal, epochs: 0 }, /epochs must be an integer from 1 to 1000, got 0/);
    rejects({ ...minimal, epochs: 1.5 }, /epochs must be an integer/);
    rejects(
      { ...minimal, batchSize: "64" },
      /batchSize must be an integer from 1 to 4096, got "64"/,
    );
    rejects({ ...minimal, cellsPerStage: 21 }, /cellsPerStage must be an integer from 1 to 20/);
    rejects({ ...minimal, channels: -1 }, /channels must be an integer from 1 to 512/);
    rejects(
      { ...minimal, optimizer: "rmsprop" },
      /optimizer must be one of sgd, adam, got "rmsprop"/,
    );
    rejects({ ...minimal, learningRate: 0 }, /learningRate must be a number > 0 and <= 10, got 0/);
    rejects({ ...minimal, momentum: 1 }, /momentum must be a number >= 0 and < 1, got 1/);
    rejects({ ...minimal, weightDecay: -0.1 }, /weightDecay must be a number >= 0 and < 1/);
    rejects({ ...minimal, augment: "yes" }, /augment must be true or false, got "yes"/);
    rejects({ ...minimal, seed: -1 }, /seed must be an integer from 0 to 2147483647/);
    rejects({ ...minimal, trainSamples: 0 }, /trainSamples must be an integer from 1 to/);
    rejects({ ...minimal, earlyStopping: "median" }, /earlyStopping must be an object/);
    rejects(
      { ...minimal, earlyStopping: { rule: "mean", afterEpochs: 1 } },
      /earlyStopping.rule must be "median", got "mean"/,
    );
    rejects(
      { ...minimal, epochs: 4, earlyStopping: { rule: "median", afterEpochs: 4 } },
      /earlyStopping.afterEpochs must be an integer from 1 to 3, got 4/,
    );
    rejects(
      { ...minimal, epochs: 1, earlyStopping: { rule: "median", afterEpochs: 1 } },
      /earlyStopping needs epochs of at least 2/,
    );
    rejects(
      { ...minimal, earlyStopping: { rule: "median", afterEpochs: 1, patience: 2 } },
      /Unknown earlyStopping field\(s\): patience/,
    );
  });
});

describe("train evaluator fingerprints", () => {
  test("are equal for specs of equal meaning: defaults spelt out or left out, any key order", async () => {
    const short = await evaluatorFingerprint(validateEvaluatorSpec(minimal));
    const spelt = await evaluatorFingerprint(
      validateEvaluatorSpec({ ...TRAIN_SPEC_DEFAULTS, dataset: "synthetic-shapes", kind: "train" }),
    );
    assert.match(short, /^[0-9a-f]{64}$/);
    assert.equal(spelt, short);
    const rule = {
      kind: "train",
      dataset: "synthetic-shapes",
      earlyStopping: { afterEpochs: 2, rule: "median" },
    };
    const withRule = await evaluatorFingerprint(validateEvaluatorSpec(rule));
    const ruleSpelt = await evaluatorFingerprint(
      validateEvaluatorSpec({
        ...rule,
        earlyStopping: { rule: "median", afterEpochs: 2, minPeers: 3 },
      }),
    );
    assert.equal(ruleSpelt, withRule);
    assert.notEqual(withRule, short);
  });

  test("differ when anything that changes results differs", async () => {
    const base = await evaluatorFingerprint(validateEvaluatorSpec(minimal));
    const changes = [
      { dataset: "cifar10" },
      { epochs: 13 },
      { batchSize: 128 },
      { cellsPerStage: 1 },
      { channels: 8 },
      { optimizer: "adam" },
      { learningRate: 0.05 },
      { momentum: 0.8 },
      { weightDecay: 0 },
      { augment: false },
      { seed: 1 },
      { trainSamples: 100 },
    ];
    const prints = await Promise.all(
      changes.map((change) =>
        evaluatorFingerprint(validateEvaluatorSpec({ ...minimal, ...change })),
      ),
    );
    assert.equal(new Set([base, ...prints]).size, changes.length + 1);
  });

  test("payload holds the clean spec and the trainer's version", async () => {
    const payload = JSON.parse(await evaluatorFingerprintPayload(validateEvaluatorSpec(minimal)));
    assert.equal(payload.trainer, TRAINER_VERSION);
    assert.deepEqual(payload.spec, validateEvaluatorSpec(minimal));
  });
});
