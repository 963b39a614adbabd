// The whole stack as separate processes on a schema and a queue prefix of its own, for
// end-to-end tests; `stop()` ends the processes and deletes the schema and the Redis keys.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import { LocalStack, waitForHttp } from "../../scripts/lib/local-stack.ts";

export interface TestStack {
  database: TestDatabase;
  redis: TestQueues;
  stack: LocalStack;
  /** http://127.0.0.1:PORT of the API. */
  base: string;
  /** A key the API accepts (send it as `Authorization: Bearer KEY`). */
  apiKey: string;
  /** Every output line of every process, prefixed with its name. */
  output: string[];
  /** POST /campaigns with the stack's key; fails the test unless the campaign is created. */
  createCampaign(body: object): Promise<{ id: string }>;
  /**
   * Polls GET /campaigns/:id until the campaign is no longer queued or running, and returns it;
   * throws once `timeoutMs` has passed.
   */
  waitForCampaign<Campaign extends { status: string }>(
    id: string,
    timeoutMs: number,
    pollMs?: number,
  ): Promise<Campaign>;
  stop(): Promise<void>;
}

/** Where the processes find their services, when not where the tests' own clients do. */
export interface TestStackOptions {
  /** Redis of the processes and of `redis` (e.g. a redis-server a fault test kills). */
  redisUrl?: string;
  /**
   * Port on 127.0.0.1 the processes reach Postgres on (a fault-injecting proxy); the test's own
   * client, `database.db`, still connects directly.
   */
  databasePort?: number;
}

/** `env`: more settings for every process (e.g. METRICS_PORT). */
export async function startTestStack(
  label: string,
  workers = 2,
  env: Record<string, string> = {},
  options: TestStackOptions = {},
): Promise<TestStack> {
  const port = 3100 + Math.floor(Math.random() * 800);
  const database = await createTestDatabase(label.replaceAll("-", "_"));
  const redis = await createTestQueues(label, options.redisUrl);
  const databaseUrl = new URL(database.url);
  if (options.databasePort !== undefined) {
    databaseUrl.hostname = "127.0.0.1";
    databaseUrl.port = String(options.databasePort);
  }
  const output: string[] = [];
  const apiKey = `nasvae_test_${randomBytes(16).toString("hex")}`;
  const stack = new LocalStack({
    env: {
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: redis.redisUrl,
      QUEUE_PREFIX: redis.prefix,
      PORT: String(port),
      API_KEYS: apiKey,
      ...env,
    },
    workers,
    onLine: (name, line) => output.push(`${name}: ${line}`),
  });
  stack.start();
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/healthz`, 60_000);
  return {
    database,
    redis,
    stack,
    base,
    apiKey,
    output,
    async createCampaign(body) {
      const response = await fetch(`${base}/campaigns`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
        body: JSON.stringify(body),
      });
      assert.equal(response.status, 201, await response.clone().text());
      return (await response.json()) as { id: string };
    },
    async waitForCampaign<Campaign extends { status: string }>(
      id: string,
      timeoutMs: number,
      pollMs = 1000,
    ) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const campaign = (await (await fetch(`${base}/campaigns/${id}`)).json()) as Campaign;
        if (!["queued", "running"].includes(campaign.status)) return campaign;
        if (Date.now() > deadline) throw new Error(`campaign ${id} still ${campaign.status}`);
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },
    async stop() {
      await stack.stop();
      await redis.cleanup();
      await database.drop();
    },
  };
}
