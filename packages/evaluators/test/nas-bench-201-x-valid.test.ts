import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFileSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import {
  DEFAULT_NB201_TABLE_PATH,
  loadNasBench201Table,
  NasBench201TabularEvaluator,
} from "../src/index.ts";
import { nasBench201DataVersion } from "../src/nas-bench-201/data-version.ts";
import { nb201ColumnSource } from "../src/nas-bench-201/datasets.ts";
import {
  loadNb201XValidTable,
  nb201XValidTablePath,
  parseNb201XValidCsv,
} from "../src/nas-bench-201/x-valid-table.ts";
import { writeTempTable } from "./temp-table.ts";

const INDEX_0 =
  "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";
const BEST_CIFAR100 = // index 9930, best by both x-valid and x-test
  "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";

describe("NAS-Bench-201 x-valid table (CIFAR-100 and ImageNet16-120 validation accuracies)", () => {
  test("lies next to nb201.csv and lists the same architectures in the same order", async () => {
    assert.equal(
      nb201XValidTablePath(),
      join(dirname(DEFAULT_NB201_TABLE_PATH), "nb201_x_valid.csv"),
    );
    const [nb201, xValid] = await Promise.all([loadNasBench201Table(), loadNb201XValidTable()]);
    assert.equal(xValid.rows.length, 15_625);
    assert.deepEqual(
      xValid.rows.map((row) => row.arch_str),
      nb201.rows.map((row) => row.arch_str),
    );
    assert.equal(
      xValid.sha256,
      createHash("sha256").update(readFileSync(nb201XValidTablePath())).digest("hex"),
    );
  });

  test("CIFAR-100 and ImageNet16-120 search on x-valid and report x-test, both from that file", async () => {
    const c100 = await new NasBench201TabularEvaluator("cifar100").evaluate(INDEX_0);
    assert.equal(c100.validationAccuracy, 52.70000000406901);
    assert.equal(c100.testAccuracy, 52.913333294677734);
    assert.deepEqual(c100.metrics, {
      archIndex: 0,
      source: "nas-bench-201-table",
      accuracyTable: "nb201_x_valid",
      validationColumn: "cifar100_valid_acc",
      testColumn: "cifar100_test_acc",
    });
    const img = await new NasBench201TabularEvaluator("ImageNet16-120").evaluate(INDEX_0);
    assert.equal(img.validationAccuracy, 28.211111075507272);
    assert.equal(img.testAccuracy, 26.633333287556965);
    assert.equal(img.metrics.validationColumn, "imagenet16_valid_acc");
    const best = await new NasBench201TabularEvaluator("cifar100").evaluate(BEST_CIFAR100);
    assert.deepEqual(
      [best.validationAccuracy, best.testAccuracy],
      [73.4933333577474, 73.51333332112631],
    );
  });

  test("the best ImageNet16-120 architecture by x-valid is index 10676 (46.73 %), not the x-test best", async () => {
    const table = await loadNb201XValidTable();
    let best = 0;
    table.rows.forEach((row, i) => {
      if (row.imagenet16_valid_acc > (table.rows[best]?.imagenet16_valid_acc ?? 0)) best = i;
    });
    assert.equal(best, 10_676);
    assert.equal(table.rows[best]?.imagenet16_valid_acc.toFixed(4), "46.7333");
  });

  test("CIFAR-10 still reads nb201.csv only", async () => {
    const c10 = await new NasBench201TabularEvaluator("cifar10").evaluate(INDEX_0);
    assert.deepEqual([c10.validationAccuracy, c10.testAccuracy], [81.98266666, 85.86333333333334]);
    assert.equal(c10.metrics.accuracyTable, "nb201");
    assert.equal(nb201ColumnSource("cifar10", "validation"), "nb201.csv cifar10_valid_acc");
    assert.equal(
      nb201ColumnSource("cifar100", "validation"),
      "nb201_x_valid.csv cifar100_valid_acc",
    );
    assert.equal(
      nb201ColumnSource("ImageNet16-120", "test"),
      "nb201_x_valid.csv imagenet16_test_acc",
    );
  });

  test("data version: CIFAR-10 names nb201.csv alone, the other two the x-valid table too", async () => {
    const nb201 = (await loadNasBench201Table()).sha256;
    const xValid = (await loadNb201XValidTable()).sha256;
    assert.deepEqual(await nasBench201DataVersion("cifar10"), { table: { sha256: nb201 } });
    for (const dataset of ["cifar100", "ImageNet16-120"] as const) {
      assert.deepEqual(await nasBench201DataVersion(dataset), {
        table: { sha256: nb201 },
        xValidTable: { sha256: xValid },
      });
    }
  });

  test("a table folder without the x-valid file: CIFAR-10 works, CIFAR-100 says what is missing", async (t) => {
    const path = writeTempTable(t, readFileSync(DEFAULT_NB201_TABLE_PATH));
    const c10 = new NasBench201TabularEvaluator("cifar10", { nb201TablePath: path });
    assert.equal((await c10.evaluate(INDEX_0)).validationAccuracy, 81.98266666);
    const c100 = new NasBench201TabularEvaluator("cifar100", { nb201TablePath: path });
    await assert.rejects(c100.evaluate(INDEX_0), /nb201_x_valid\.csv/);
    // With the file copied next to it, the custom table's folder is used.
    copyFileSync(nb201XValidTablePath(), nb201XValidTablePath(path));
    assert.equal((await c100.evaluate(INDEX_0)).validationAccuracy, 52.70000000406901);
    const version = await nasBench201DataVersion("cifar100", path);
    assert.equal(version.xValidTable?.sha256, (await loadNb201XValidTable()).sha256);
  });

  test("the parser rejects missing columns and non-numbers", () => {
    assert.throws(
      () => parseNb201XValidCsv("arch_str,cifar100_valid_acc\nx,1\n", "t.csv"),
      /no column "cifar100_test_acc"/,
    );
    const header =
      "arch_str,cifar100_valid_acc,cifar100_test_acc,imagenet16_valid_acc,imagenet16_test_acc";
    assert.throws(
      () => parseNb201XValidCsv(`${header}\nx,1,2,abc,4\n`, "t.csv"),
      /imagenet16_valid_acc is not a number/,
    );
    assert.deepEqual(parseNb201XValidCsv(`${header}\r\nx,1,2,3,4\r\n`, "t.csv"), [
      {
        arch_str: "x",
        cifar100_valid_acc: 1,
        cifar100_test_acc: 2,
        imagenet16_valid_acc: 3,
        imagenet16_test_acc: 4,
      },
    ]);
  });
});
