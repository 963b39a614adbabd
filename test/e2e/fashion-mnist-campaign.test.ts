// End to end on real images: a train campaign on Fashion-MNIST (Debian's dataset-fashion-mnist,
// read from /usr/share/datasets with an empty DATASETS_DIR) through the API, the coordinator and
// two workers as separate processes on the real Postgres and Redis. Skipped when the package is
// not installed (`.ci/run` installs it). About two minutes on two cores.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startTestStack, type TestStack } from "../support/test-stack.ts";

interface EvaluationItem {
  architectureId: string;
  architecture: string;
  validationAccuracy: number;
  testAccuracy: number | null;
  epochs: number | null;
}

/** The demo's recipe (scripts/lib/demo-training.ts): 2 epochs of N=1, C=8 on 2,000 images. */
const recipe = {
  kind: "train",
  dataset: "fashion-mnist",
  epochs: 2,
  trainSamples: 2000,
  cellsPerStage: 1,
  channels: 8,
};

const installed = existsSync("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");

describe("Fashion-MNIST train campaign end to end", {
  skip: installed ? false : "apt-get install dataset-fashion-mnist",
}, () => {
  let env: TestStack;
  const datasetsDir = mkdtempSync(join(tmpdir(), "nasvae-empty-datasets-"));

  before(async () => {
    env = await startTestStack("e2e-fashion", 2, { DATASETS_DIR: datasetsDir });
  });
  after(async (context) => {
    if (context.signal.aborted || process.exitCode) console.log(env.output.slice(-60).join("\n"));
    await env.stop();
    rmSync(datasetsDir, { recursive: true, force: true });
  });

  test("GET /datasets: available, read from the Debian package's directory", async () => {
    const response = await fetch(`${env.base}/datasets`);
    assert.equal(response.status, 200);
    const { items } = (await response.json()) as {
      items: { name: string; available: boolean; inputShape: number[]; description: string }[];
    };
    const fashion = items.find((item) => item.name === "fashion-mnist");
    assert.ok(fashion, JSON.stringify(items.map((item) => item.name)));
    assert.equal(fashion.available, true);
    assert.deepEqual(fashion.inputShape, [28, 28, 1]);
    assert.match(fashion.description, /read from \/usr\/share\/datasets\/fashion-mnist$/);
  });

  test("3 random cells, 2 epochs on 2,000 images: all above chance, the best above 60 %", async (t) => {
    const { id } = await env.createCampaign({
      name: "fashion-mnist e2e",
      searchSpace: "nas-bench-201",
      evaluator: recipe,
      strategy: { kind: "random" },
      budget: { evaluations: 3, perRound: 3 },
      seed: 11,
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
    // 10 classes: chance is 10 %. Validation is 5,000 held-out images, test the 10,000 test
    // images: a network that learned nothing stays within a point or two of 10 %.
    for (const item of items) {
      assert.equal(item.epochs, 2);
      assert.ok(item.validationAccuracy > 20, JSON.stringify(item));
      assert.ok(item.testAccuracy !== null && item.testAccuracy > 20, JSON.stringify(item));
    }
    const bestTest = Math.max(...items.map((item) => item.testAccuracy ?? 0));
    assert.ok(bestTest > 60, `best test accuracy ${bestTest} %`);

    // Learning curves recorded for each, one point an epoch.
    for (const item of items) {
      const detail = (await (
        await fetch(`${env.base}/architectures/${item.architectureId}`)
      ).json()) as {
        evaluations: { learningCurve: { epoch: number }[]; metrics: { backend?: string } }[];
      };
      const [evaluation] = detail.evaluations;
      assert.ok(evaluation);
      assert.deepEqual(
        evaluation.learningCurve.map((point) => point.epoch),
        [1, 2],
      );
      assert.equal(typeof evaluation.metrics.backend, "string");
    }
  });
});
