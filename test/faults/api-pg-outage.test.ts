// Fault: the API's PostgreSQL stops (a server of this test's own, on a free port) and starts
// again. Asserts: while it is down, reads and writes answer 503 with Retry-After and a JSON body
// naming the database, promptly (never a 500, never a hang); nothing is half-written (no row, no
// job); once it is back, the same API answers 200/201 again without a restart.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createDatabase, type Database, migrate } from "@nasvae/db";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { buildServer } from "../../apps/api/src/build.ts";
import { waitFor } from "./support/faults.ts";
import { PostgresServer } from "./support/postgres-server.ts";

const API_KEY = `nasvae_test_${randomBytes(16).toString("hex")}`;
const headers = { authorization: `Bearer ${API_KEY}` };
const body = {
  name: "outage",
  searchSpace: "nas-bench-201",
  evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
  strategy: { kind: "random" },
  budget: { evaluations: 10 },
};

/** An answer within `ms`, or a failure that says the API hung. */
async function answered(
  request: Promise<LightMyRequestResponse>,
  ms = 15_000,
): Promise<LightMyRequestResponse> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the API did not answer in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([request, hung]);
  } finally {
    clearTimeout(timer);
  }
}

describe("the API while its PostgreSQL is down", () => {
  let postgres: PostgresServer;
  let redis: TestQueues;
  let server: FastifyInstance;
  let db: Database;

  before(async () => {
    postgres = await PostgresServer.start();
    await migrate({ databaseUrl: postgres.url() });
    redis = await createTestQueues("api-pg-outage");
    server = await buildServer({
      DATABASE_URL: postgres.url(),
      REDIS_URL: redis.redisUrl,
      QUEUE_PREFIX: redis.prefix,
      MAX_BUDGET: 500,
      API_KEYS: API_KEY,
      LOG_LEVEL: "silent",
    });
    db = createDatabase(postgres.url(), { maxConnections: 2 });
  });
  after(async () => {
    await server?.close();
    await db?.$disconnect();
    await redis?.cleanup();
    await postgres?.destroy();
  });

  test("503 with Retry-After naming the database during the outage, then it recovers", async () => {
    const first = await server.inject({
      method: "POST",
      url: "/campaigns",
      headers,
      payload: body,
    });
    assert.equal(first.statusCode, 201, first.body);
    const id = first.json().id as string;
    assert.equal((await server.inject({ method: "GET", url: "/campaigns" })).statusCode, 200);
    const jobsBefore = await redis.queues.byName.campaigns.count();

    await postgres.stop();
    const requests = [
      { method: "GET" as const, url: "/campaigns" },
      { method: "GET" as const, url: `/campaigns/${id}` },
      { method: "GET" as const, url: `/campaigns/${id}/evaluations` },
      { method: "POST" as const, url: "/campaigns", headers, payload: body },
      { method: "POST" as const, url: `/campaigns/${id}/pause`, headers },
    ];
    for (const request of requests) {
      const response = await answered(server.inject(request));
      const what = `${request.method} ${request.url}: ${response.body}`;
      assert.equal(response.statusCode, 503, what);
      assert.ok(Number(response.headers["retry-after"]) > 0, what);
      assert.match(response.headers["content-type"] as string, /application\/json/, what);
      const answer = response.json();
      assert.equal(answer.error, "Service Unavailable", what);
      assert.match(
        answer.message,
        new RegExp(`PostgreSQL at 127\\.0\\.0\\.1:${postgres.port}`),
        what,
      );
      assert.equal(answer.dependency, "postgres", what);
    }
    // Nothing of the refused write reached the queue.
    assert.equal(await redis.queues.byName.campaigns.count(), jobsBefore);

    await postgres.startAgain();
    // The same API, not restarted, answers again once its pool reconnects.
    await waitFor(
      "GET /campaigns answering 200 again",
      async () => (await server.inject({ method: "GET", url: "/campaigns" })).statusCode === 200,
      30_000,
      () => "",
      250,
    );
    const again = await server.inject({
      method: "POST",
      url: "/campaigns",
      headers,
      payload: body,
    });
    assert.equal(again.statusCode, 201, again.body);
    // Exactly the two campaigns that got 201: the refused write left no row.
    assert.equal(await db.campaign.count(), 2);
    assert.equal(await redis.queues.byName.campaigns.count(), jobsBefore + 1);
    const pause = await server.inject({ method: "POST", url: `/campaigns/${id}/pause`, headers });
    assert.notEqual(pause.statusCode, 503, pause.body);
    assert.ok(pause.statusCode < 500, pause.body);
  });
});
