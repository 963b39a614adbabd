// GET /metrics, /livez and /readyz against the real Postgres and Redis, and with each of them
// unreachable.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { evaluateJob, startCampaignJob } from "@nasvae/jobs";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import { findSamples, sumSamples } from "@nasvae/metrics/testing";
import { Worker } from "bullmq";
import type { FastifyInstance } from "fastify";
import { buildServer } from "../src/build.ts";

const nobodyListens = {
  redis: "redis://127.0.0.1:1",
  postgres: "postgresql://postgres@127.0.0.1:1/nasvae",
};

function evaluatePayload() {
  return {
    campaignId: randomUUID(),
    roundId: randomUUID(),
    trialId: randomUUID(),
    architectureId: randomUUID(),
    searchSpace: "nas-bench-201",
    archString: "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|",
    evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
    evaluatorFingerprint: "f".repeat(64),
  };
}

async function scrape(server: FastifyInstance): Promise<string> {
  const response = await server.inject({ method: "GET", url: "/metrics" });
  assert.equal(response.statusCode, 200, response.body);
  assert.match(response.headers["content-type"] as string, /^text\/plain; version=0\.0\.4/);
  return response.body;
}

describe("metrics and probes", () => {
  let database: TestDatabase;
  let redis: TestQueues;
  let server: FastifyInstance;
  let roundsConsumer: Worker;

  before(async () => {
    database = await createTestDatabase("api_metrics");
    redis = await createTestQueues("api-metrics");
    server = await buildServer({
      DATABASE_URL: database.url,
      REDIS_URL: redis.redisUrl,
      QUEUE_PREFIX: redis.prefix,
      MAX_BUDGET: 500,
      LOG_LEVEL: "silent",
    });
    // Two campaigns waiting; three evaluations waiting and one delayed (a retry's backoff).
    for (let i = 0; i < 2; i++) {
      await redis.queues.add(startCampaignJob, { campaignId: randomUUID() });
    }
    for (let i = 0; i < 3; i++) await redis.queues.add(evaluateJob, evaluatePayload());
    const delayed = evaluatePayload();
    await redis.queues.byName.evaluations.add(evaluateJob.name, delayed, {
      jobId: evaluateJob.jobId(delayed),
      delay: 60_000,
    });
    // One consumer on the (empty) rounds queue.
    roundsConsumer = new Worker("rounds", async () => {}, {
      connection: redis.connection.duplicate(),
      prefix: redis.prefix,
    });
    await roundsConsumer.waitUntilReady();
    const campaign = (status: "queued" | "running" | "completed") => ({
      name: `metrics ${status}`,
      status,
      searchSpace: "nas-bench-201",
      evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
      evaluatorFingerprint: "f".repeat(64),
      strategy: { kind: "random" },
      budgetEvaluations: 10,
      roundSize: 5,
      seed: 1,
    });
    await database.db.campaign.createMany({
      data: [campaign("queued"), campaign("queued"), campaign("running"), campaign("completed")],
    });
  });
  after(async () => {
    await roundsConsumer.close();
    await roundsConsumer.disconnect();
    await server.close();
    await redis.cleanup();
    await database.drop();
  });

  test("GET /metrics shows jobs per queue and state, depths and consumers of the test's queues", async () => {
    const text = await scrape(server);
    const jobs = (queue: string, state: string) =>
      sumSamples(text, "nasvae_queue_jobs", { queue, state });
    assert.equal(jobs("campaigns", "waiting"), 2);
    assert.equal(jobs("campaigns", "active"), 0);
    assert.equal(jobs("evaluations", "waiting"), 3);
    assert.equal(jobs("evaluations", "delayed"), 1);
    assert.equal(jobs("rounds", "waiting-children"), 0);
    for (const state of ["prioritized", "completed", "failed"]) {
      assert.equal(findSamples(text, "nasvae_queue_jobs", { queue: "rounds", state }).length, 1);
    }
    assert.equal(sumSamples(text, "nasvae_queue_depth", { queue: "campaigns" }), 2);
    assert.equal(sumSamples(text, "nasvae_queue_depth", { queue: "evaluations" }), 4);
    assert.equal(sumSamples(text, "nasvae_queue_depth", { queue: "rounds" }), 0);
    assert.equal(sumSamples(text, "nasvae_queue_workers", { queue: "rounds" }), 1);
    assert.equal(sumSamples(text, "nasvae_queue_workers", { queue: "evaluations" }), 0);
    assert.equal(sumSamples(text, "nasvae_up", { dependency: "redis" }), 1);
  });

  test("GET /metrics counts campaigns by status, every status present", async () => {
    const text = await scrape(server);
    const campaigns = (status: string) => findSamples(text, "nasvae_campaigns", { status });
    assert.equal(campaigns("queued")[0]?.value, 2);
    assert.equal(campaigns("running")[0]?.value, 1);
    assert.equal(campaigns("completed")[0]?.value, 1);
    assert.equal(campaigns("failed")[0]?.value, 0);
    assert.equal(campaigns("cancelled")[0]?.value, 0);
    assert.equal(sumSamples(text, "nasvae_up", { dependency: "postgres" }), 1);
  });

  test("GET /metrics shows the process metrics and times requests by route pattern", async () => {
    await server.inject({ method: "GET", url: `/campaigns/${randomUUID()}` });
    await server.inject({ method: "GET", url: "/no/such/path" });
    const text = await scrape(server);
    assert.equal(findSamples(text, "nasvae_process_cpu_user_seconds_total").length, 1);
    assert.equal(findSamples(text, "nasvae_nodejs_eventloop_lag_seconds").length, 1);
    const requests = (labels: Record<string, string>) =>
      sumSamples(text, "nasvae_http_request_duration_seconds_count", labels);
    assert.equal(requests({ method: "GET", route: "/campaigns/:id", status_code: "404" }), 1);
    assert.equal(requests({ route: "unmatched", status_code: "404" }), 1);
    assert.equal(
      findSamples(text, "nasvae_http_request_duration_seconds_count", {}).filter((sample) =>
        /no\/such/.test(sample.labels.route ?? ""),
      ).length,
      0,
    );
  });

  test("GET /livez and GET /readyz answer 200 with both services up; /healthz still works", async () => {
    const live = await server.inject({ method: "GET", url: "/livez" });
    assert.equal(live.statusCode, 200);
    assert.deepEqual(live.json(), { status: "ok" });
    for (const url of ["/readyz", "/healthz"]) {
      const ready = await server.inject({ method: "GET", url });
      assert.equal(ready.statusCode, 200, url);
      assert.deepEqual(ready.json(), { status: "ok", postgres: "up", redis: "up" });
    }
  });

  test("the OpenAPI document lists the probes and /metrics as text/plain", async () => {
    const response = await server.inject({ method: "GET", url: "/docs/json" });
    assert.equal(response.statusCode, 200);
    const paths = response.json().paths;
    for (const path of ["/metrics", "/livez", "/readyz", "/healthz"]) {
      assert.deepEqual(paths[path]?.get?.tags, ["operations"], path);
      assert.ok(paths[path].get.summary, path);
    }
    assert.ok(paths["/metrics"].get.responses["200"].content["text/plain"]);
  });
});

describe("metrics and probes with a dependency down", () => {
  test("Redis unreachable: /metrics answers 200 with nasvae_up{redis} 0, /readyz 503, /livez 200", async () => {
    const database = await createTestDatabase("api_metrics_noredis");
    const server = await buildServer({
      DATABASE_URL: database.url,
      REDIS_URL: nobodyListens.redis,
      QUEUE_PREFIX: "unreachable",
      MAX_BUDGET: 500,
      LOG_LEVEL: "silent",
    });
    try {
      const text = await scrape(server);
      assert.equal(findSamples(text, "nasvae_up", { dependency: "redis" })[0]?.value, 0);
      assert.equal(findSamples(text, "nasvae_up", { dependency: "postgres" })[0]?.value, 1);
      // Left out, not shown stale or as zeros.
      assert.equal(findSamples(text, "nasvae_queue_jobs").length, 0);
      assert.equal(findSamples(text, "nasvae_queue_workers").length, 0);
      assert.equal(findSamples(text, "nasvae_campaigns", { status: "queued" })[0]?.value, 0);

      const ready = await server.inject({ method: "GET", url: "/readyz" });
      assert.equal(ready.statusCode, 503);
      assert.deepEqual(ready.json(), { status: "degraded", postgres: "up", redis: "down" });
      assert.equal((await server.inject({ method: "GET", url: "/livez" })).statusCode, 200);
    } finally {
      await server.close();
      await database.drop();
    }
  });

  test("Postgres unreachable: /metrics answers 200 with nasvae_up{postgres} 0, /readyz 503", async () => {
    const redis = await createTestQueues("api-metrics-nopg");
    const server = await buildServer({
      DATABASE_URL: nobodyListens.postgres,
      REDIS_URL: redis.redisUrl,
      QUEUE_PREFIX: redis.prefix,
      MAX_BUDGET: 500,
      LOG_LEVEL: "silent",
    });
    try {
      const text = await scrape(server);
      assert.equal(findSamples(text, "nasvae_up", { dependency: "postgres" })[0]?.value, 0);
      assert.equal(findSamples(text, "nasvae_up", { dependency: "redis" })[0]?.value, 1);
      assert.equal(findSamples(text, "nasvae_campaigns").length, 0);
      assert.equal(sumSamples(text, "nasvae_queue_depth", { queue: "evaluations" }), 0);

      const ready = await server.inject({ method: "GET", url: "/readyz" });
      assert.equal(ready.statusCode, 503);
      assert.deepEqual(ready.json(), { status: "degraded", postgres: "down", redis: "up" });
      assert.equal((await server.inject({ method: "GET", url: "/livez" })).statusCode, 200);
    } finally {
      await server.close();
      await redis.cleanup();
    }
  });
});
