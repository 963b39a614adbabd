// End to end: the API, the coordinator and two workers as separate processes, on the real
// Postgres and Redis, run NAS-Bench-201 campaigns through the REST API.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { TestDatabase } from "@nasvae/db/testing";
import { loadNasBench201Table } from "@nasvae/evaluators";
import type { TestQueues } from "@nasvae/jobs/testing";
import type { LocalStack } from "../../scripts/lib/local-stack.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";

let base = "";
let apiKey = "";

interface Campaign {
  id: string;
  status: string;
  progress: {
    evaluations: number;
    budget: number;
    cached: number;
    failed: number;
    pending: number;
  };
  best: {
    architecture: string;
    validationAccuracy: number;
    testAccuracy: number;
    flops: number;
    params: number;
  } | null;
}
interface EvaluationItem {
  architecture: string;
  validationAccuracy: number;
  testAccuracy: number;
  flops: number;
  params: number;
  round: number;
  cached: boolean;
  worker: string;
}

async function postCampaign(body: object): Promise<Campaign> {
  const response = await fetch(`${base}/campaigns`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()) as Campaign;
}

async function waitForCampaign(id: string, timeoutMs = 90_000): Promise<Campaign> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const campaign = (await (await fetch(`${base}/campaigns/${id}`)).json()) as Campaign;
    if (!["queued", "running"].includes(campaign.status)) return campaign;
    if (Date.now() > deadline) throw new Error(`campaign ${id} still ${campaign.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function evaluations(id: string): Promise<{ items: EvaluationItem[]; total: number }> {
  return (await (await fetch(`${base}/campaigns/${id}/evaluations?limit=1000`)).json()) as {
    items: EvaluationItem[];
    total: number;
  };
}

describe("a campaign end to end through separate processes", () => {
  let env: TestStack;
  let database: TestDatabase;
  let redis: TestQueues;
  let stack: LocalStack;
  let output: string[];

  before(async () => {
    env = await startTestStack("e2e");
    ({ database, redis, stack, output } = env);
    base = env.base;
    apiKey = env.apiKey;
  });
  after(async (context) => {
    if (context.signal.aborted || process.exitCode) console.log(output.slice(-50).join("\n"));
    await env.stop();
  });

  const body = {
    name: "e2e random",
    searchSpace: "nas-bench-201",
    evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
    strategy: { kind: "random" },
    budget: { evaluations: 60, perRound: 10 },
    seed: 11,
  };
  let first: Campaign;

  test("budget 60: 60 distinct architectures with the table's figures; best is the max", async () => {
    first = await waitForCampaign((await postCampaign(body)).id);
    assert.equal(first.status, "completed", JSON.stringify(first));
    assert.equal(first.progress.evaluations, 60);
    assert.equal(first.progress.failed, 0);

    const { items, total } = await evaluations(first.id);
    assert.equal(total, 60);
    assert.equal(new Set(items.map((item) => item.architecture)).size, 60);
    const table = await loadNasBench201Table();
    for (const item of items) {
      const row = table.byArch.get(item.architecture);
      assert.ok(row, `${item.architecture} is not in the table`);
      assert.equal(item.validationAccuracy, row.cifar10_valid_acc);
      assert.equal(item.testAccuracy, row.cifar10_test_acc);
      assert.equal(item.flops, Math.round(row.flops_m * 1e6));
      assert.equal(item.params, Math.round(row.params_m * 1e6));
    }
    assert.deepEqual(new Set(items.map((item) => item.round)), new Set([0, 1, 2, 3, 4, 5]));
    assert.deepEqual(new Set(items.map((item) => item.worker)), new Set(["worker-1", "worker-2"]));

    const maxValidation = Math.max(...items.map((item) => item.validationAccuracy));
    assert.equal(first.best?.validationAccuracy, maxValidation);
    const bestItem = items.find((item) => item.architecture === first.best?.architecture);
    assert.equal(bestItem?.validationAccuracy, maxValidation);

    const rows = await database.db.evaluation.count();
    assert.equal(rows, 60);
    const architectures = await database.db.architecture.count();
    assert.equal(architectures, 60);
    const evaluateJobs = await redis.queues.byName.evaluations.getJobCounts("completed", "failed");
    assert.deepEqual(evaluateJobs, { completed: 60, failed: 0 });
  });

  test("a second campaign with the same evaluator reuses the cached evaluations", async () => {
    // Same seed and strategy: its first six rounds propose the same 60 architectures.
    const second = await waitForCampaign(
      (
        await postCampaign({
          ...body,
          name: "e2e reuse",
          budget: { evaluations: 80, perRound: 10 },
        })
      ).id,
    );
    assert.equal(second.status, "completed", JSON.stringify(second));
    assert.equal(second.progress.evaluations, 80);
    assert.equal(second.progress.cached, 60);

    const { items } = await evaluations(second.id);
    const firstArchitectures = new Set(
      (await evaluations(first.id)).items.map((i) => i.architecture),
    );
    for (const item of items) {
      assert.equal(item.cached, firstArchitectures.has(item.architecture), item.architecture);
    }
    // Only the 20 new architectures were evaluated: no job ran for the 60 known ones.
    assert.equal(await database.db.evaluation.count(), 80);
    const evaluateJobs = await redis.queues.byName.evaluations.getJobCounts("completed", "failed");
    assert.deepEqual(evaluateJobs, { completed: 80, failed: 0 });
  });

  test("SIGTERM shuts every process down cleanly", async () => {
    await stack.stop();
    const codes = await Promise.all(stack.processes.map((p) => p.exited));
    assert.deepEqual(
      codes,
      [0, 0, 0, 0],
      output.filter((line) => /shut|error/i.test(line)).join("\n"),
    );
  });

  test("the campaign_evaluations view has one row per evaluated architecture", async () => {
    const rows = await database.db.$queryRawUnsafe<{ n: bigint; campaigns: bigint }[]>(
      `SELECT count(*) AS n, count(DISTINCT campaign_id) AS campaigns FROM "${database.schema}".campaign_evaluations`,
    );
    assert.equal(Number(rows[0]?.n), 140);
    assert.equal(Number(rows[0]?.campaigns), 2);
  });
});
