// The stack's metrics and logs, end to end: the API, the coordinator and two workers as separate
// processes, each worker and the coordinator serving /metrics on a port of its own, run a small
// campaign; then what each process reports is compared with what the database recorded.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { findSamples, sumSamples } from "@nasvae/metrics/testing";
import { waitForHttp } from "../../scripts/lib/local-stack.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";

const WORKERS = 2;
// The coordinator listens on this port, worker N on this + N (LocalStack's rule).
const metricsPort = 20_000 + Math.floor(Math.random() * 20_000);
const coordinatorMetrics = `http://127.0.0.1:${metricsPort}`;
const workerMetrics = Array.from(
  { length: WORKERS },
  (_, i) => `http://127.0.0.1:${metricsPort + i + 1}`,
);

async function scrape(base: string): Promise<string> {
  const response = await fetch(`${base}/metrics`);
  assert.equal(response.status, 200, base);
  return response.text();
}

describe("metrics and logs of a campaign run by separate processes", () => {
  let env: TestStack;
  let campaignId: string;

  before(async () => {
    env = await startTestStack("e2e-metrics", WORKERS, {
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: "info",
    });
    for (const base of [coordinatorMetrics, ...workerMetrics]) {
      await waitForHttp(`${base}/livez`, 60_000);
    }
    const response = await fetch(`${env.base}/campaigns`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${env.apiKey}` },
      body: JSON.stringify({
        name: "e2e metrics",
        searchSpace: "nas-bench-201",
        evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
        strategy: { kind: "random" },
        budget: { evaluations: 12, perRound: 4 },
        seed: 5,
      }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    campaignId = ((await response.json()) as { id: string }).id;
    const deadline = Date.now() + 90_000;
    for (;;) {
      const campaign = await env.database.db.campaign.findUniqueOrThrow({
        where: { id: campaignId },
      });
      if (campaign.status === "completed") break;
      assert.ok(["queued", "running"].includes(campaign.status), campaign.status);
      assert.ok(Date.now() < deadline, `campaign still ${campaign.status}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
  after(async (context) => {
    if (context.signal.aborted || process.exitCode) console.log(env.output.slice(-50).join("\n"));
    await env?.stop();
  });

  test("the workers' evaluation histograms count every evaluation they ran", async () => {
    const evaluated = await env.database.db.trial.count({
      where: { campaignId, status: "completed", cached: false },
    });
    assert.equal(evaluated, 12);
    const scrapes = await Promise.all(workerMetrics.map(scrape));
    const labels = { evaluator: "nas-bench-201", dataset: "cifar10" };
    const count = (outcome: string) =>
      scrapes.reduce(
        (sum, text) =>
          sum +
          sumSamples(text, "nasvae_evaluation_duration_seconds_count", { ...labels, outcome }),
        0,
      );
    assert.equal(count("completed"), evaluated);
    assert.equal(count("failed"), 0);
    assert.equal(count("cached"), 0);
    for (const text of scrapes) {
      assert.equal(sumSamples(text, "nasvae_evaluations_in_progress"), 0);
      assert.equal(findSamples(text, "nasvae_process_resident_memory_bytes").length, 1);
    }
  });

  test("the coordinator's round histogram counts every round; the campaign's end is counted", async () => {
    const rounds = await env.database.db.round.count({ where: { campaignId } });
    assert.equal(rounds, 3);
    const text = await scrape(coordinatorMetrics);
    const random = { strategy: "random" };
    assert.equal(sumSamples(text, "nasvae_round_duration_seconds_count", random), rounds);
    assert.equal(sumSamples(text, "nasvae_round_propose_duration_seconds_count", random), rounds);
    assert.equal(sumSamples(text, "nasvae_predictor_absolute_error_points_count"), 0);
    assert.equal(sumSamples(text, "nasvae_campaigns_finished_total", { status: "completed" }), 1);
  });

  test("the API sees the consumers of each queue and the campaign completed", async () => {
    const text = await scrape(env.base);
    assert.equal(sumSamples(text, "nasvae_queue_workers", { queue: "evaluations" }), WORKERS);
    assert.equal(sumSamples(text, "nasvae_queue_workers", { queue: "campaigns" }), 1);
    assert.equal(sumSamples(text, "nasvae_queue_workers", { queue: "rounds" }), 1);
    assert.equal(sumSamples(text, "nasvae_queue_depth", { queue: "evaluations" }), 0);
    assert.equal(
      sumSamples(text, "nasvae_queue_jobs", { queue: "evaluations", state: "completed" }),
      12,
    );
    assert.equal(sumSamples(text, "nasvae_campaigns", { status: "completed" }), 1);
    assert.equal(sumSamples(text, "nasvae_up"), 2);
  });

  test("every log line of the coordinator and the workers about a job names its campaign and job", () => {
    const notAboutAJob = new Set([
      "worker started",
      "coordinator started",
      "shutting down",
      "shut down cleanly",
    ]);
    let lines = 0;
    for (const line of env.output) {
      const match = /^(coordinator|worker-\d+): (\{.*\})$/.exec(line);
      if (!match?.[2]) continue;
      const entry = JSON.parse(match[2]) as Record<string, unknown>;
      if (notAboutAJob.has(entry.msg as string)) continue;
      lines += 1;
      assert.equal(entry.campaignId, campaignId, line);
      assert.equal(typeof entry.jobId, "string", line);
      if (match[1] !== "coordinator") {
        assert.equal(typeof entry.trialId, "string", line);
        assert.equal(typeof entry.roundId, "string", line);
      }
    }
    // Each evaluation, round and the campaign's start and end are logged.
    assert.ok(lines >= 12 + 3, `only ${lines} lines about jobs`);
  });

  test("the metrics servers answer /livez, and the processes stop cleanly", async () => {
    for (const base of [coordinatorMetrics, ...workerMetrics]) {
      const response = await fetch(`${base}/livez`);
      assert.equal(response.status, 200, base);
    }
    await env.stack.stop();
    for (const p of env.stack.processes) assert.equal(await p.exited, 0, p.name);
  });
});
