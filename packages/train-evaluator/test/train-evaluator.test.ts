import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { EvaluatorSpecError, validateEvaluatorSpec, validateTrainSpec } from "@nasvae/contracts";
import { DatasetUnavailableError } from "@nasvae/datasets";
import type { EpochProgress } from "@nasvae/evaluators";
import {
  enasNetworkCost,
  networkCost,
  parseArchString,
  parseEnasArchString,
} from "@nasvae/search-space";
// The same TensorFlow.js instance the trainer uses, to see its tensor count.
import { ensureBackend, tf } from "@nasvae/tf-backend";
import { createEvaluator, TrainEvaluator } from "../src/index.ts";

const archString =
  "|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|skip_connect~0|none~1|avg_pool_3x3~2|";
/** A network and data small enough for seconds of training. */
const tiny = {
  kind: "train",
  dataset: "synthetic-shapes",
  epochs: 3,
  cellsPerStage: 1,
  channels: 4,
  batchSize: 32,
  trainSamples: 64,
  augment: false,
};

describe("train evaluator", () => {
  test("trains, reports every epoch, stops when told, and maps the outcome", async () => {
    const evaluator = createEvaluator(validateEvaluatorSpec(tiny));
    const reported: EpochProgress[] = [];
    const result = await evaluator.evaluate(archString, {
      async onEpoch(progress) {
        reported.push(progress);
        return progress.epoch === 2 ? "stop" : "continue";
      },
    });
    assert.deepEqual(
      reported.map((p) => [p.epoch, p.epochs]),
      [
        [1, 3],
        [2, 3],
      ],
    );
    assert.equal(result.stoppedEarly, true);
    assert.equal(result.epochs, 2);
    // The figures are the last epoch's validation accuracy; the test split is measured then.
    assert.equal(result.validationAccuracy, reported[1]?.validationAccuracy);
    assert.ok(
      result.testAccuracy !== null && result.testAccuracy >= 0 && result.testAccuracy <= 100,
    );
    const cost = networkCost(parseArchString(archString), {
      classes: 10,
      inputSize: 32,
      channels: 4,
      cellsPerStage: 1,
    });
    // Counted from the built model; equal to the analytic figures.
    assert.equal(result.params, cost.params);
    assert.equal(result.flops, cost.flops);
    const metrics = result.metrics as Record<string, unknown>;
    assert.equal(metrics.source, "train");
    assert.equal(typeof metrics.backend, "string");
    // The tests run wasm (or cpu) on one thread, the default.
    assert.equal(metrics.threads, 1);
    for (const key of ["validationLoss", "testLoss", "trainingTimeMs", "samplesPerSecond"]) {
      assert.equal(typeof metrics[key], "number", key);
    }
    const latency = metrics.latencyMs as { batch1: number; batch256: number };
    assert.ok(latency.batch1 > 0 && latency.batch256 > 0);
  });

  test("a dataset whose files are missing: DatasetUnavailableError naming them", async () => {
    const empty = mkdtempSync(join(tmpdir(), "nasvae-no-cifar-"));
    try {
      const evaluator = createEvaluator(validateEvaluatorSpec({ ...tiny, dataset: "cifar10" }), {
        datasetsDir: empty,
      });
      await assert.rejects(evaluator.evaluate(archString), (error: unknown) => {
        assert.ok(error instanceof DatasetUnavailableError, String(error));
        assert.match(error.message, /cifar-10-batches-bin[/\\]data_batch_1\.bin/);
        return true;
      });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test("enas-macro-6: trains an ENAS-6 network above chance and releases every tensor", async () => {
    await ensureBackend();
    const enasArch = "[[0],[3,1],[5,0,1],[1,1,0,1],[4,0,1,0,0],[2,0,0,1,1,0]]";
    const spec = validateTrainSpec({
      dataset: "synthetic-shapes",
      epochs: 2,
      channels: 8,
      batchSize: 32,
      trainSamples: 512,
      augment: false,
    });
    const evaluator = new TrainEvaluator(spec, {}, "enas-macro-6");
    const before = tf.memory();
    const result = await evaluator.evaluate(enasArch);
    const after = tf.memory();
    assert.equal(after.numTensors, before.numTensors, "tensors left behind");
    assert.equal(after.numBytes, before.numBytes, "bytes left behind");
    assert.equal(result.epochs, 2);
    // synthetic-shapes has 10 balanced classes: chance is 10%.
    assert.ok(result.validationAccuracy > 20, `validation accuracy ${result.validationAccuracy}%`);
    assert.ok(
      result.testAccuracy !== null && result.testAccuracy > 20,
      `test ${result.testAccuracy}%`,
    );
    // The ENAS network was built (not NAS-Bench-201's): its analytic cost, counted from the model.
    const cost = enasNetworkCost(parseEnasArchString(enasArch), { channels: 8 });
    assert.deepEqual({ flops: result.flops, params: result.params }, cost);
  });

  test("a search space the train evaluator cannot build is refused; its strings are parsed as that space's", async () => {
    const { kind: _, ...fields } = tiny;
    const spec = validateTrainSpec(fields);
    assert.throws(() => new TrainEvaluator(spec, {}, "darts"), EvaluatorSpecError);
    // An NB201 string on an ENAS campaign is malformed there: refused before any training.
    await assert.rejects(
      new TrainEvaluator(spec, {}, "enas-macro-6").evaluate(archString),
      /Malformed ENAS-6 architecture string/,
    );
  });
});
