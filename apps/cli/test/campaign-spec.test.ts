import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { campaignBody, readCampaignFile } from "../src/campaign-spec.ts";
import { CliError, UsageError } from "../src/errors.ts";

const example = new URL("../../../examples/campaign.yaml", import.meta.url).pathname;

describe("campaign body", () => {
  test("the example file is the POST body", async () => {
    assert.deepEqual(await readCampaignFile(example), {
      name: "graph-vae cifar10",
      searchSpace: "nas-bench-201",
      evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
      strategy: { kind: "graph-vae", lambda: 0 },
      budget: { evaluations: 100, perRound: 10 },
      seed: 1,
    });
  });

  test("flags override the file, field by field", async () => {
    const body = await campaignBody(await readCampaignFile(example), {
      name: "override",
      budget: 20,
      seed: 5,
      lambda: 0.5,
      dataset: "cifar100",
    });
    assert.deepEqual(body, {
      name: "override",
      searchSpace: "nas-bench-201",
      evaluator: { kind: "nas-bench-201", dataset: "cifar100" },
      strategy: { kind: "graph-vae", lambda: 0.5 },
      budget: { evaluations: 20, perRound: 10 },
      seed: 5,
    });
  });

  test("another strategy kind drops the file's strategy settings", async () => {
    const body = await campaignBody(await readCampaignFile(example), { strategy: "evolution" });
    assert.deepEqual(body.strategy, { kind: "evolution" });
  });

  test("the train example file; another evaluator kind drops the file's evaluator settings", async () => {
    const train = await readCampaignFile(
      new URL("../../../examples/train-campaign.yaml", import.meta.url).pathname,
    );
    assert.deepEqual(train.evaluator, {
      kind: "train",
      dataset: "synthetic-shapes",
      epochs: 4,
      cellsPerStage: 1,
      channels: 8,
      batchSize: 32,
      optimizer: "adam",
      learningRate: 0.003,
      augment: false,
      earlyStopping: { rule: "median", afterEpochs: 2 },
    });
    const tabular = await campaignBody(train, { evaluator: "nas-bench-201", dataset: "cifar10" });
    assert.deepEqual(tabular.evaluator, { kind: "nas-bench-201", dataset: "cifar10" });
    const fromFlags = await campaignBody(await readCampaignFile(example), {
      evaluator: "train",
      dataset: "synthetic-shapes",
      set: ["evaluator.epochs=2"],
    });
    assert.deepEqual(fromFlags.evaluator, {
      kind: "train",
      dataset: "synthetic-shapes",
      epochs: 2,
    });
  });

  test("flags alone: defaults for the space, evaluator and dataset; the API's for the rest", async () => {
    assert.deepEqual(await campaignBody(undefined, { budget: 50 }), {
      searchSpace: "nas-bench-201",
      evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
      budget: { evaluations: 50 },
    });
    const withLambda = await campaignBody(undefined, { budget: 50, lambda: 1 });
    assert.deepEqual(withLambda.strategy, { kind: "graph-vae", lambda: 1 });
  });

  test("--set assigns dotted paths, values read as YAML", async () => {
    const body = await campaignBody(undefined, {
      budget: 10,
      strategy: "evolution",
      set: ["strategy.populationSize=12", "name=a=b", "budget.perRound=5"],
    });
    assert.deepEqual(body.strategy, { kind: "evolution", populationSize: 12 });
    assert.equal(body.name, "a=b");
    assert.deepEqual(body.budget, { evaluations: 10, perRound: 5 });
    await assert.rejects(campaignBody(undefined, { budget: 1, set: ["novalue"] }), UsageError);
  });

  test("a missing budget is a usage error", async () => {
    await assert.rejects(campaignBody(undefined, {}), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /--budget/);
      return true;
    });
  });

  test("JSON files, bad files and missing files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nasvae-cli-"));
    const json = join(dir, "c.json");
    writeFileSync(json, JSON.stringify({ budget: { evaluations: 3 } }));
    assert.deepEqual(await readCampaignFile(json), { budget: { evaluations: 3 } });
    const list = join(dir, "list.yaml");
    writeFileSync(list, "- 1\n- 2\n");
    await assert.rejects(readCampaignFile(list), /must hold the campaign's fields/);
    const broken = join(dir, "broken.yaml");
    writeFileSync(broken, "name: [unclosed\n");
    await assert.rejects(readCampaignFile(broken), /broken\.yaml is not valid YAML/);
    await assert.rejects(readCampaignFile(join(dir, "none.yaml")), (error: unknown) => {
      assert.ok(error instanceof CliError && !(error instanceof UsageError));
      assert.match(error.message, /none\.yaml: no such file/);
      return true;
    });
  });
});
