import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { DatasetUnavailableError } from "@nasvae/datasets";
import { networkCost, parseArchString } from "@nasvae/search-space";
import { createEvaluator, type EpochProgress, validateEvaluatorSpec } from "../src/index.ts";

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
    assert.ok(result.testAccuracy >= 0 && result.testAccuracy <= 100);
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
});
