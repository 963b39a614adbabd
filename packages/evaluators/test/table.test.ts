import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  DEFAULT_NB201_TABLE_PATH,
  loadNasBench201Table,
  nasBench201TableSha256,
  parseNasBench201Csv,
} from "../src/index.ts";
import { writeTempTable } from "./temp-table.ts";

const TABLE_SHA256 = "1a64f0c3057b889df4ba07feac08103fbc0c8e0c95b7f5cc2069dd292f4a103f";
const HEADER =
  "arch_index,arch_str,unique_str,cifar10_valid_acc,cifar10_test_acc,cifar10valid_test_acc,cifar10valid_train_acc,cifar100_test_acc,imagenet16_test_acc,flops_m,params_m";

describe("loadNasBench201Table", () => {
  test("loads all 15,625 rows of the project's copy, indexed by arch string and index", async (t) => {
    const start = performance.now();
    const table = await loadNasBench201Table();
    t.diagnostic(`first load took ${(performance.now() - start).toFixed(0)} ms`);
    assert.equal(table.path, DEFAULT_NB201_TABLE_PATH);
    assert.equal(table.rows.length, 15625);
    assert.equal(table.byArch.size, 15625);
    assert.equal(table.sha256, TABLE_SHA256);
    const row = table.rows[6111];
    assert.equal(row?.arch_index, 6111);
    assert.equal(table.byArch.get(row?.arch_str ?? ""), row);
    assert.equal(row?.cifar10_test_acc, 94.37333333333333);
  });

  test("is cached per path: the same table object comes back", async () => {
    const a = await loadNasBench201Table();
    const b = await loadNasBench201Table(DEFAULT_NB201_TABLE_PATH);
    assert.equal(a, b);
  });

  test("sha256 without loading equals the loaded table's", async (t) => {
    const copy = writeTempTable(t, readFileSync(DEFAULT_NB201_TABLE_PATH));
    assert.equal(await nasBench201TableSha256(copy), TABLE_SHA256);
    assert.equal((await loadNasBench201Table(copy)).sha256, TABLE_SHA256);
  });

  test("a missing file rejects (and is retried next time)", async () => {
    const missing = join(tmpdir(), "no-such-dir-nb201", "nb201.csv");
    await assert.rejects(loadNasBench201Table(missing), /ENOENT/);
    await assert.rejects(loadNasBench201Table(missing), /ENOENT/);
  });
});

describe("parseNasBench201Csv", () => {
  const line =
    "0,|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,#+#+#,1,2,3,4,5,6,7.78305,0.073306";

  test("parses CRLF and LF files, columns by name", () => {
    const [row] = parseNasBench201Csv(`${HEADER}\r\n${line}\r\n`, "x.csv");
    assert.equal(row?.unique_str, "#+#+#");
    assert.equal(row?.imagenet16_test_acc, 6);
    assert.equal(parseNasBench201Csv(`${HEADER}\n${line}\n`, "x.csv").length, 1);
  });

  test("rejects quoted fields, wrong field counts, missing columns and non-numbers", () => {
    assert.throws(
      () => parseNasBench201Csv(`${HEADER}\n${line.replace("#+#+#", '"#+#+#"')}`, "x.csv"),
      /Quoted CSV fields are not supported \(x.csv line 2\)/,
    );
    assert.throws(
      () => parseNasBench201Csv(`${HEADER}\n${line},9`, "x.csv"),
      /Expected 11 fields, got 12/,
    );
    assert.throws(
      () => parseNasBench201Csv(`${HEADER.replace("params_m", "p")}\n`, "x.csv"),
      /has no column "params_m"/,
    );
    assert.throws(
      () => parseNasBench201Csv(`${HEADER}\n${line.replace(",5,", ",,")}`, "x.csv"),
      /Column cifar100_test_acc is not a number: ""/,
    );
  });
});
