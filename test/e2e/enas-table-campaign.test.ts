// End to end on the ENAS-6 space: the API, the coordinator and two workers as separate processes,
// on the real Postgres and Redis, run a random campaign scored by the enas-6-table evaluator.
// Every evaluation must be the table's weight-sharing accuracy × 100, with no test accuracy; a
// second campaign with the same evaluator is answered from the first one's results. Last, the
// issue's own campaign: the graph VAE on the table (decoded cells mapped to table cells), 60
// evaluations.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { TestDatabase } from "@nasvae/db/testing";
import { loadEnas6Table } from "@nasvae/evaluators";
import type { TestQueues } from "@nasvae/jobs/testing";
import { ENAS_OPERATIONS, enasNetworkCost, enasSearchSpace } from "@nasvae/search-space";
import { startTestStack, type TestStack } from "../support/test-stack.ts";

interface Campaign {
  id: string;
  status: string;
  searchSpace: string;
  evaluator: { kind: string; dataset: string };
  progress: { evaluations: number; cached: number; failed: number };
  best: {
    architecture: string;
    validationAccuracy: number;
    testAccuracy: number | null;
    graph: { nodes: { id: number; label: string }[]; edges: { op: string | null }[] };
  } | null;
  error: string | null;
}
interface EvaluationItem {
  architecture: string;
  validationAccuracy: number;
  testAccuracy: number | null;
  flops: number;
  params: number;
  cached: boolean;
}

describe("an enas-6-table campaign end to end through separate processes", () => {
  let env: TestStack;
  let database: TestDatabase;
  let redis: TestQueues;

  before(async () => {
    env = await startTestStack("e2e-enas");
    ({ database, redis } = env);
  });
  after(async (context) => {
    if (context.signal.aborted || process.exitCode) console.log(env.output.slice(-50).join("\n"));
    await env.stop();
  });

  const post = (body: object) => env.createCampaign(body);
  const waitFor = (id: string, timeoutMs = 90_000) =>
    env.waitForCampaign<Campaign>(id, timeoutMs, 200);

  async function evaluations(id: string): Promise<EvaluationItem[]> {
    const response = await fetch(`${env.base}/campaigns/${id}/evaluations?limit=1000`);
    return ((await response.json()) as { items: EvaluationItem[] }).items;
  }

  const body = {
    name: "e2e enas table",
    searchSpace: "enas-macro-6",
    evaluator: { kind: "enas-6-table" },
    strategy: { kind: "random" },
    budget: { evaluations: 20 },
    seed: 5,
  };

  test("budget 20: 20 table cells, each scored ws_acc × 100 with no test accuracy", async () => {
    const campaign = await waitFor((await post(body)).id);
    assert.equal(campaign.status, "completed", JSON.stringify(campaign));
    assert.equal(campaign.searchSpace, "enas-macro-6");
    assert.deepEqual(campaign.evaluator, { kind: "enas-6-table", dataset: "cifar10" });
    assert.equal(campaign.progress.evaluations, 20);
    assert.equal(campaign.progress.failed, 0);

    const items = await evaluations(campaign.id);
    assert.equal(items.length, 20);
    assert.equal(new Set(items.map((item) => item.architecture)).size, 20);
    const table = await loadEnas6Table();
    for (const item of items) {
      const row = table.byArch.get(item.architecture);
      assert.ok(row, `${item.architecture} is in the table`);
      assert.ok(Math.abs(item.validationAccuracy - row.wsAcc * 100) < 1e-9, item.architecture);
      assert.equal(item.testAccuracy, null);
      const cost = enasNetworkCost(enasSearchSpace.parse(item.architecture), {
        classes: 10,
        imageSize: 32,
      });
      assert.deepEqual([item.flops, item.params], [cost.flops, cost.params]);
    }
    const best = Math.max(...items.map((item) => item.validationAccuracy));
    assert.equal(campaign.best?.validationAccuracy, best);
    assert.equal(campaign.best?.testAccuracy, null);
    // What the page draws: input, six layers labelled with their op, output; the chain (7 edges:
    // input → layer 1 … layer 6 → output) plus one edge per skip bit set.
    const cell = enasSearchSpace.parse(campaign.best?.architecture ?? "");
    assert.deepEqual(
      campaign.best?.graph.nodes.map((node) => node.label),
      ["input", ...cell.ops.map((op) => ENAS_OPERATIONS[op]), "output"],
    );
    const skips = cell.skips.flat().filter((bit) => bit === 1).length;
    assert.equal(campaign.best?.graph.edges.length, 7 + skips);
    assert.ok(campaign.best?.graph.edges.every((edge) => edge.op === null));

    const stored = await database.db.evaluation.findMany();
    assert.equal(stored.length, 20);
    assert.ok(stored.every((row) => row.testAccuracy === null));
    const jobs = await redis.queues.byName.evaluations.getJobCounts("completed", "failed");
    assert.deepEqual(jobs, { completed: 20, failed: 0 });
  });

  test("the same campaign again is answered from the cache: no new evaluation", async () => {
    const again = await waitFor((await post({ ...body, name: "e2e enas again" })).id);
    assert.equal(again.status, "completed", JSON.stringify(again));
    assert.equal(again.progress.evaluations, 20);
    assert.equal(again.progress.cached, 20);
    assert.equal(await database.db.evaluation.count(), 20);
  });

  test("graph-vae, budget 60: model rounds propose only table cells, scored from the table", async (t) => {
    const campaign = await waitFor(
      (
        await post({
          name: "e2e enas graph-vae",
          searchSpace: "enas-macro-6",
          evaluator: { kind: "enas-6-table" },
          strategy: { kind: "graph-vae" },
          budget: { evaluations: 60 },
          seed: 7,
        })
      ).id,
      600_000,
    );
    assert.equal(campaign.status, "completed", JSON.stringify(campaign));
    assert.equal(campaign.progress.evaluations, 60);
    assert.equal(campaign.progress.failed, 0);
    const items = await evaluations(campaign.id);
    assert.equal(items.length, 60);
    assert.equal(new Set(items.map((item) => item.architecture)).size, 60);
    const table = await loadEnas6Table();
    for (const item of items) {
      const row = table.byArch.get(item.architecture);
      assert.ok(row, `${item.architecture} is in the table`);
      assert.ok(Math.abs(item.validationAccuracy - row.wsAcc * 100) < 1e-9, item.architecture);
      assert.equal(item.testAccuracy, null);
    }
    // Rounds 1-5 came from the model: its decodes were judged (validity measured, not granted)
    // and mapped to table cells.
    const rounds = await database.db.round.findMany({
      where: { campaignId: campaign.id },
      orderBy: { index: "asc" },
    });
    assert.equal(rounds.length, 6);
    const modelInfo = rounds.slice(1).map((round) => round.info as Record<string, unknown>);
    t.diagnostic(
      `best ${campaign.best?.validationAccuracy} %; per model round decodes/invalid/snapped: ${modelInfo
        .map((info) => `${info.decodes}/${info.invalidDecodes}/${info.snapped}`)
        .join(" ")}`,
    );
    for (const round of rounds.slice(1)) {
      const info = round.info as { phase?: string; decodes?: number; invalidDecodes?: number };
      assert.equal(info.phase, "model", JSON.stringify(info));
      assert.ok((info.decodes ?? 0) > 0, JSON.stringify(info));
      assert.equal(typeof info.invalidDecodes, "number");
    }
  });
});
