import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import type { Nb201Dataset } from "@nasvae/contracts";
import { createEvaluator } from "@nasvae/train-evaluator";
import { DEFAULT_NB201_TABLE_PATH, NasBench201TabularEvaluator } from "../src/index.ts";
import { writeTempTable } from "./temp-table.ts";

const BEST_CIFAR10 = // index 6111
  "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
const INDEX_0 =
  "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";
const BEST_CIFAR100 = // index 9930
  "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";
const BEST_IMAGENET = // index 857
  "|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";

const evaluator = (dataset: Nb201Dataset) => createEvaluator({ kind: "nas-bench-201", dataset });

describe("NAS-Bench-201 tabular evaluator", () => {
  test("cifar10: validation = cifar10-valid x-valid, test = cifar10 ori-test (best arch, 6111)", async () => {
    const result = await evaluator("cifar10").evaluate(BEST_CIFAR10);
    assert.deepEqual(result, {
      validationAccuracy: 91.60666665,
      testAccuracy: 94.37333333333333,
      flops: 153_272_970,
      params: 1_073_466,
      dataset: "cifar10",
      metrics: {
        archIndex: 6111,
        source: "nas-bench-201-table",
        accuracyTable: "nb201",
        validationColumn: "cifar10_valid_acc",
        testColumn: "cifar10_test_acc",
      },
    });
  });

  test("index 0 on all three datasets (values of the CSV's first row)", async () => {
    const c10 = await evaluator("cifar10").evaluate(INDEX_0);
    assert.equal(c10.validationAccuracy, 81.98266666);
    assert.equal(c10.testAccuracy, 85.86333333333334);
    assert.equal(c10.flops, 15_647_370);
    assert.equal(c10.params, 129_306);
    assert.equal(c10.metrics?.archIndex, 0);

    const c100 = await evaluator("cifar100").evaluate(INDEX_0);
    // CIFAR-100 and ImageNet16-120: x-valid steers, x-test is reported (nb201_x_valid.csv).
    assert.equal(c100.validationAccuracy, 52.70000000406901);
    assert.equal(c100.testAccuracy, 52.913333294677734);
    assert.equal(c100.params, 129_306 + 5_850);
    assert.equal(c100.flops, 15_647_370 + 5_850);

    const img = await evaluator("ImageNet16-120").evaluate(INDEX_0);
    assert.equal(img.validationAccuracy, 28.211111075507272);
    assert.equal(img.testAccuracy, 26.633333287556965);
    assert.equal(img.params, 129_306 + 7_150);
    // 16x16 inputs: conv MACs / 4, linear 64*120 + 120.
    assert.equal(img.flops, (15_647_370 - 650) / 4 + 7_800);
  });

  test("best CIFAR-100 (9930) and ImageNet16-120 (857) architectures", async () => {
    const c100 = await evaluator("cifar100").evaluate(BEST_CIFAR100);
    assert.equal(c100.testAccuracy, 73.51333332112631);
    assert.equal(c100.metrics?.archIndex, 9930);
    const img = await evaluator("ImageNet16-120").evaluate(BEST_IMAGENET);
    assert.equal(img.testAccuracy, 47.31111100599501);
    assert.deepEqual([img.flops, img.params], [30_461_560, 865_576]);
    assert.equal(img.metrics?.archIndex, 857);
  });

  test("malformed and unknown architectures give clear errors", async (t) => {
    await assert.rejects(
      evaluator("cifar10").evaluate("|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|"),
      /Malformed NAS-Bench-201 architecture string .*unknown operation "conv"/,
    );
    // A table without index 0's row: a valid string that the table does not have.
    const [header, , ...rest] = readFileSync(DEFAULT_NB201_TABLE_PATH, "utf8").split("\r\n");
    const renumbered = rest.map((l) => l.replace(/^\d+/, (i) => String(Number(i) - 1)));
    const path = writeTempTable(t, [header, ...renumbered].join("\r\n"));
    const partial = createEvaluator(
      { kind: "nas-bench-201", dataset: "cifar10" },
      { nb201TablePath: path },
    );
    await assert.rejects(
      partial.evaluate(INDEX_0),
      /Architecture ".*" is not in the NAS-Bench-201 table/,
    );
    assert.equal((await partial.evaluate(BEST_CIFAR10)).testAccuracy, 94.37333333333333);
  });

  test("constructor and factory reject unknown datasets", () => {
    assert.throws(
      () => new NasBench201TabularEvaluator("mnist" as Nb201Dataset),
      /Unknown NAS-Bench-201 dataset "mnist"/,
    );
    assert.throws(() => evaluator("svhn" as Nb201Dataset), /Unknown nas-bench-201 dataset "svhn"/);
  });

  test("evaluator fingerprint equals evaluatorFingerprint of its spec", async () => {
    const e = new NasBench201TabularEvaluator("cifar100");
    assert.equal(await e.fingerprint(), await evaluator("cifar100").fingerprint());
    assert.deepEqual(e.spec, { kind: "nas-bench-201", dataset: "cifar100" });
  });
});
