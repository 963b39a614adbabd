// End to end, real training on the paper's own space: a train campaign on enas-macro-6 through
// the API, the coordinator and two workers as separate processes on the real Postgres and Redis.
// The workers build ENAS-6 macro networks (packages/training/src/enas-network.ts) and train them
// on synthetic-shapes (generated in-process: no download). About a minute on two cores.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { enasNetworkCost, enasSearchSpace } from "@nasvae/search-space";
import { startTestStack, type TestStack } from "../support/test-stack.ts";

interface EvaluationItem {
  architectureId: string;
  architecture: string;
  validationAccuracy: number;
  testAccuracy: number | null;
  flops: number;
  params: number;
  epochs: number | null;
}

/** Narrow ENAS networks (C = 8), two epochs on 512 images: seconds per network on WASM. */
const recipe = {
  kind: "train",
  dataset: "synthetic-shapes",
  epochs: 2,
  trainSamples: 512,
  batchSize: 32,
  channels: 8,
  augment: false,
};

describe("ENAS-6 train campaign end to end", () => {
  let env: TestStack;

  before(async () => {
    env = await startTestStack("e2e-enas-train", 2);
  });
  after(async (context) => {
    if (context.signal.aborted || process.exitCode) console.log(env.output.slice(-60).join("\n"));
    await env.stop();
  });

  test("3 random ENAS cells train above chance; FLOPs and params are the network's", async (t) => {
    const { id } = await env.createCampaign({
      name: "enas train e2e",
      searchSpace: "enas-macro-6",
      evaluator: recipe,
      strategy: { kind: "random" },
      budget: { evaluations: 3, perRound: 3 },
      seed: 5,
    });
    const campaign = await env.waitForCampaign<{
      status: string;
      error: string | null;
      progress: { failed: number };
    }>(id, 600_000);
    assert.equal(campaign.status, "completed", JSON.stringify(campaign));
    assert.equal(campaign.progress.failed, 0);

    const page = await fetch(`${env.base}/campaigns/${id}/evaluations?limit=10`);
    const { items } = (await page.json()) as { items: EvaluationItem[] };
    t.diagnostic(
      items
        .map((i) => `${i.validationAccuracy} / ${i.testAccuracy} % ${i.architecture}`)
        .join("; "),
    );
    assert.equal(items.length, 3);
    for (const item of items) {
      // Real ENAS strings, costed as the 32x32x3, 10-class network the worker built.
      const cell = enasSearchSpace.parse(item.architecture);
      const cost = enasNetworkCost(cell, { channels: 8, classes: 10, imageSize: 32 });
      assert.equal(item.flops, cost.flops, item.architecture);
      assert.equal(item.params, cost.params, item.architecture);
      assert.equal(item.epochs, 2);
      // 10 balanced classes: chance is 10 %; 500 validation images put its noise near ±2.7 %.
      assert.ok(item.validationAccuracy > 15, JSON.stringify(item));
      assert.ok(item.testAccuracy !== null && item.testAccuracy > 15, JSON.stringify(item));
    }
    const best = Math.max(...items.map((item) => item.validationAccuracy));
    assert.ok(best > 20, `best validation accuracy ${best} %`);
  });
});
