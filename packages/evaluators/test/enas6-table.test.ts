import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import {
  EvaluatorSpecError,
  evaluatorKindsFor,
  searchSpaceMismatch,
  validateEvaluatorSpec,
} from "@nasvae/contracts";
import { enasNetworkCost, enasSearchSpace } from "@nasvae/search-space";
import { createEvaluator } from "@nasvae/train-evaluator";
import {
  DEFAULT_ENAS6_TABLE_PATH,
  Enas6TabularEvaluator,
  evaluatorDomain,
  evaluatorFingerprint,
  evaluatorFingerprintPayload,
  isPermanentEvaluationError,
  loadEnas6Table,
} from "../src/index.ts";
import { writeTempTable } from "./temp-table.ts";

/** The CSV read here independently of the evaluator: [line, arch, ws_acc, split] per line. */
function readRows(path = DEFAULT_ENAS6_TABLE_PATH) {
  const [, ...lines] = readFileSync(path, "utf8").trim().split(/\r?\n/);
  return lines.map((text) => {
    const match = /^(\d+),"([^"]+)",([\d.]+),(\w+)$/.exec(text);
    assert.ok(match, `a table line: ${text}`);
    return {
      line: Number(match[1]),
      arch: match[2] as string,
      wsAcc: Number(match[3]),
      split: match[4],
    };
  });
}

const FIRST_ARCH = "[[1],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]";
// Flips the last skip bit of line 1's cell: not in the table (checked below).
const MISSING_ARCH = "[[1],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,0]]";

const spec = { kind: "enas-6-table", dataset: "cifar10" } as const;

describe("enas-6-table evaluator", () => {
  test("every architecture scores its table's ws_acc × 100, no test accuracy, CIFAR-10 cost", async () => {
    const evaluator = createEvaluator(spec, {}, "enas-macro-6");
    const rows = readRows();
    assert.equal(rows.length, 20_020);
    const firstLine = new Map<string, (typeof rows)[number]>();
    for (const row of rows) if (!firstLine.has(row.arch)) firstLine.set(row.arch, row);
    assert.equal(firstLine.size, 20_015, "5 architectures appear twice");
    for (const row of rows) {
      const result = await evaluator.evaluate(row.arch);
      assert.ok(Math.abs(result.validationAccuracy - row.wsAcc * 100) < 1e-9, row.arch);
      // ws_acc has 4 decimals: the percentage is exact to 2.
      assert.equal(result.validationAccuracy, Number((row.wsAcc * 100).toFixed(2)));
      assert.equal(result.testAccuracy, null);
      const first = firstLine.get(row.arch);
      assert.deepEqual(result.metrics, {
        line: first?.line,
        split: first?.split,
        source: "enas-6-table",
      });
    }
    const cost = enasNetworkCost(enasSearchSpace.parse(FIRST_ARCH), { classes: 10, imageSize: 32 });
    const result = await evaluator.evaluate(FIRST_ARCH);
    assert.deepEqual(
      { flops: result.flops, params: result.params },
      { flops: cost.flops, params: cost.params },
    );
    assert.ok(result.flops > 0 && result.params > 0);
  });

  test("duplicates: the first line is kept, and the 5 pairs have equal ws_acc", async () => {
    const table = await loadEnas6Table();
    assert.equal(table.rows.length, 20_020);
    assert.equal(table.byArch.size, 20_015);
    const duplicated = "[[0],[5,1],[1,1,0],[5,0,0,0],[5,0,0,0,0],[5,0,0,0,0,0]]"; // lines 7862, 18470
    assert.deepEqual(table.byArch.get(duplicated), {
      line: 7862,
      arch: duplicated,
      wsAcc: 0.7334,
      split: "train",
    });
  });

  test("a cell outside the table is a permanent error naming the cell and the table", async () => {
    const table = await loadEnas6Table();
    assert.equal(table.byArch.has(MISSING_ARCH), false);
    const evaluator = new Enas6TabularEvaluator();
    await assert.rejects(evaluator.evaluate(MISSING_ARCH), (error: Error) => {
      assert.ok(isPermanentEvaluationError(error));
      assert.ok(error.message.includes(MISSING_ARCH), error.message);
      assert.ok(error.message.includes(DEFAULT_ENAS6_TABLE_PATH), error.message);
      return true;
    });
    // Not an ENAS-6 string at all (a NAS-Bench-201 cell): permanent too, naming the space.
    const nb201 =
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
    await assert.rejects(evaluator.evaluate(nb201), (error: Error) => {
      assert.ok(isPermanentEvaluationError(error));
      assert.match(error.message, /is not an enas-macro-6 architecture/);
      return true;
    });
  });

  test("spec: dataset filled in as cifar10, nothing else accepted", () => {
    assert.deepEqual(validateEvaluatorSpec({ kind: "enas-6-table" }), spec);
    assert.deepEqual(validateEvaluatorSpec(spec), spec);
    assert.throws(
      () => validateEvaluatorSpec({ kind: "enas-6-table", dataset: "cifar100" }),
      /scores cifar10 only \(got dataset "cifar100"\)/,
    );
    assert.throws(
      () => validateEvaluatorSpec({ kind: "enas-6-table", epochs: 3 }),
      /Unknown evaluator spec field\(s\): epochs/,
    );
  });

  test("space compatibility: each kind scores only the spaces it can", () => {
    assert.deepEqual(evaluatorKindsFor("nas-bench-201"), ["nas-bench-201", "train"]);
    assert.deepEqual(evaluatorKindsFor("enas-macro-6"), ["enas-6-table", "train"]);
    assert.equal(
      searchSpaceMismatch("enas-6-table", "nas-bench-201"),
      'evaluator "enas-6-table" cannot score search space "nas-bench-201" (it scores: enas-macro-6)',
    );
    assert.equal(searchSpaceMismatch("train", "enas-macro-6"), null);
    assert.throws(
      () => createEvaluator({ kind: "nas-bench-201", dataset: "cifar10" }, {}, "enas-macro-6"),
      (error: Error) =>
        error instanceof EvaluatorSpecError &&
        /evaluator "nas-bench-201" cannot score search space "enas-macro-6"/.test(error.message),
    );
  });

  test("domain: the table's distinct architectures; null where the whole space is scored", async () => {
    const domain = await evaluatorDomain(spec);
    assert.ok(domain);
    assert.deepEqual([...domain], [...new Set(readRows().map((row) => row.arch))]);
    assert.equal(await evaluatorDomain({ kind: "nas-bench-201", dataset: "cifar10" }), null);
    assert.equal(
      await evaluatorDomain(validateEvaluatorSpec({ kind: "train", dataset: "cifar10" })),
      null,
    );
    assert.equal(await evaluatorDomain(spec), domain, "cached per process");
  });

  test("fingerprint: the table's bytes are part of it; a copy elsewhere matches", async (t) => {
    const bytes = readFileSync(DEFAULT_ENAS6_TABLE_PATH);
    const copy = writeTempTable(t, bytes);
    const reference = await evaluatorFingerprint(spec);
    assert.equal(await evaluatorFingerprint(spec, { enas6TablePath: copy }), reference);
    const payload = JSON.parse(await evaluatorFingerprintPayload(spec));
    assert.equal(payload.kind, "enas-6-table");
    assert.match(payload.table.sha256, /^[0-9a-f]{64}$/);
    const edited = writeTempTable(t, bytes.toString("utf8").replace(",0.7302,", ",0.7303,"));
    assert.notEqual(await evaluatorFingerprint(spec, { enas6TablePath: edited }), reference);
    assert.notEqual(
      await evaluatorFingerprint({ kind: "nas-bench-201", dataset: "cifar10" }),
      reference,
    );
  });

  test("a table whose duplicate rows disagree, or malformed, is refused naming the lines", async (t) => {
    const header = "line,arch,ws_acc,dvae_split\n";
    const conflicting = writeTempTable(
      t,
      `${header}1,"${FIRST_ARCH}",0.7302,burn_in\n2,"${FIRST_ARCH}",0.7400,train\n`,
    );
    await assert.rejects(
      loadEnas6Table(conflicting),
      /ws_acc 0\.7302 on line 1 and 0\.74 on line 2/,
    );
    const badSplit = writeTempTable(t, `${header}1,"${FIRST_ARCH}",0.7302,valid\n`);
    await assert.rejects(loadEnas6Table(badSplit), /dvae_split is "valid"/);
    const small = writeTempTable(t, `${header}7,"${FIRST_ARCH}",0.7302,test\n`);
    const evaluator = new Enas6TabularEvaluator({ enas6TablePath: small });
    const result = await evaluator.evaluate(FIRST_ARCH);
    assert.equal(result.validationAccuracy, 73.02);
    assert.deepEqual(result.metrics, { line: 7, split: "test", source: "enas-6-table" });
    assert.deepEqual(await evaluatorDomain(spec, { enas6TablePath: small }), [FIRST_ARCH]);
  });
});
