import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import {
  EVALUATOR_KINDS,
  type EvaluatorSpec,
  EvaluatorSpecError,
  NB201_DATASETS,
  validateEvaluatorSpec,
} from "@nasvae/contracts";
import {
  canonicalJson,
  DEFAULT_NB201_TABLE_PATH,
  evaluatorFingerprint,
  evaluatorFingerprintPayload,
  nb201XValidTablePath,
} from "../src/index.ts";
import { writeTempTable } from "./temp-table.ts";

describe("evaluator specs", () => {
  test("supported kinds and datasets are exported", () => {
    assert.deepEqual(EVALUATOR_KINDS, ["nas-bench-201", "enas-6-table", "train"]);
    assert.deepEqual(NB201_DATASETS, ["cifar10", "cifar100", "ImageNet16-120"]);
  });

  test("validateEvaluatorSpec accepts valid specs and rejects the rest clearly", () => {
    assert.deepEqual(validateEvaluatorSpec({ dataset: "cifar10", kind: "nas-bench-201" }), {
      kind: "nas-bench-201",
      dataset: "cifar10",
    });
    const bad: [unknown, RegExp][] = [
      [null, /must be an object/],
      [[], /must be an object/],
      [
        { kind: "training", dataset: "cifar10" },
        /Unknown evaluator kind "training" \(expected one of nas-bench-201, enas-6-table, train\)/,
      ],
      [{ dataset: "cifar10" }, /Unknown evaluator kind undefined/],
      [
        { kind: "nas-bench-201", dataset: "imagenet" },
        /Unknown nas-bench-201 dataset "imagenet" \(expected one of cifar10, cifar100, ImageNet16-120\)/,
      ],
      [
        { kind: "nas-bench-201", dataset: "cifar10", epochs: 12 },
        /Unknown evaluator spec field\(s\): epochs/,
      ],
    ];
    for (const [value, message] of bad) {
      assert.throws(
        () => validateEvaluatorSpec(value),
        (e: unknown) => {
          assert.ok(e instanceof EvaluatorSpecError);
          assert.match(e.message, message);
          return true;
        },
      );
    }
  });
});

describe("evaluatorFingerprint", () => {
  const spec = (dataset: string) => ({ kind: "nas-bench-201", dataset }) as EvaluatorSpec;

  test("is a stable sha256 hex, independent of key order", async () => {
    const a = await evaluatorFingerprint(spec("cifar10"));
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.equal(await evaluatorFingerprint(spec("cifar10")), a);
    assert.equal(await evaluatorFingerprint({ dataset: "cifar10", kind: "nas-bench-201" }), a);
  });

  test("payload names kind, dataset, version and the table's sha256", async () => {
    assert.equal(
      await evaluatorFingerprintPayload(spec("cifar10")),
      '{"dataset":"cifar10","kind":"nas-bench-201","table":{"sha256":"1a64f0c3057b889df4ba07feac08103fbc0c8e0c95b7f5cc2069dd292f4a103f"},"version":1}',
    );
  });

  test("CIFAR-100 and ImageNet16-120 also name the x-valid table their accuracies come from", async () => {
    const xValidSha256 = createHash("sha256")
      .update(readFileSync(nb201XValidTablePath()))
      .digest("hex");
    for (const dataset of ["cifar100", "ImageNet16-120"] as const) {
      const payload = JSON.parse(await evaluatorFingerprintPayload(spec(dataset)));
      assert.deepEqual(payload.xValidTable, { sha256: xValidSha256 }, dataset);
    }
    const cifar10 = JSON.parse(await evaluatorFingerprintPayload(spec("cifar10")));
    assert.equal(cifar10.xValidTable, undefined);
  });

  test("differs across datasets and across table versions", async (t) => {
    const prints = await Promise.all(NB201_DATASETS.map((d) => evaluatorFingerprint(spec(d))));
    assert.equal(new Set(prints).size, 3);
    const changed = writeTempTable(t, `${readFileSync(DEFAULT_NB201_TABLE_PATH, "utf8")}\r\n`);
    const other = await evaluatorFingerprint(spec("cifar10"), { nb201TablePath: changed });
    assert.notEqual(other, prints[0]);
  });

  test("rejects invalid specs", async () => {
    await assert.rejects(evaluatorFingerprint(spec("mnist")), EvaluatorSpecError);
  });
});

describe("canonicalJson", () => {
  test("sorts keys at every level and drops undefined", () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [1, "x"], c: null }, e: undefined }),
      '{"a":{"c":null,"d":[1,"x"]},"b":1}',
    );
    assert.throws(() => canonicalJson({ a: Number.NaN }), /non-finite/);
  });
});
