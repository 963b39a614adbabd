// `nasvae pause|resume|cancel ID`, and `watch` through a pause, as subprocesses against an
// in-process API on real Postgres and Redis (no coordinator: the statuses are what is tested).
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { markCampaignRunning } from "@nasvae/db";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
// The API is a test dependency only: the CLI talks to it over HTTP.
import { buildServer } from "../../api/src/build.ts";
import { nasvae } from "./support.ts";

describe("nasvae pause, resume and cancel", () => {
  let database: TestDatabase;
  let redis: TestQueues;
  let server: Awaited<ReturnType<typeof buildServer>>;
  let env: Record<string, string>;
  const apiKey = `nasvae_test_${randomBytes(16).toString("hex")}`;

  before(async () => {
    database = await createTestDatabase("cli_control");
    redis = await createTestQueues("cli-control");
    server = await buildServer({
      DATABASE_URL: database.url,
      REDIS_URL: redis.redisUrl,
      QUEUE_PREFIX: redis.prefix,
      MAX_BUDGET: 500,
      API_KEYS: apiKey,
      LOG_LEVEL: "silent",
    });
    await server.listen({ port: 0, host: "127.0.0.1" });
    const { port } = server.server.address() as AddressInfo;
    env = { NASVAE_URL: `http://127.0.0.1:${port}`, NASVAE_API_KEY: apiKey };
  });
  after(async () => {
    await server.close();
    await redis.cleanup();
    await database.drop();
  });

  async function runningCampaign(): Promise<string> {
    const response = await fetch(`${env.NASVAE_URL}/campaigns`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        name: "cli control",
        searchSpace: "nas-bench-201",
        evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
        strategy: { kind: "random" },
        budget: { evaluations: 20 },
      }),
    });
    assert.equal(response.status, 201);
    const { id } = (await response.json()) as { id: string };
    await markCampaignRunning(database.db, id);
    return id;
  }

  test("pause, resume, cancel: the new status on stdout; a refused change exits 1 with the reason", async () => {
    const id = await runningCampaign();
    const paused = await nasvae(["pause", id], env);
    assert.equal(paused.code, 0, paused.stderr);
    assert.equal(paused.stdout, `campaign ${id} paused: now paused, 0/20 evaluations, 0 pending\n`);
    const again = await nasvae(["pause", id], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /409 Conflict: campaign .* is paused \(already paused\)/);

    const resumed = await nasvae(["resume", id], env);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /resumed: now running/);

    const cancelled = await nasvae(["cancel", id], env);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.match(cancelled.stdout, /cancelled: now cancelled/);
    const twice = await nasvae(["cancel", id], env);
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /409 Conflict: .*already cancelled/);
  });

  test("no key, an unknown campaign, a missing ID", async () => {
    const id = await runningCampaign();
    const anonymous = await nasvae(["cancel", id], { NASVAE_URL: env.NASVAE_URL as string });
    assert.equal(anonymous.code, 1);
    assert.match(anonymous.stderr, /401[\s\S]*set NASVAE_API_KEY/);
    const unknown = await nasvae(["pause", randomUUID()], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /404 Not Found: campaign .* not found/);
    const missing = await nasvae(["resume"], env);
    assert.equal(missing.code, 2);
    const help = await nasvae(["--help"], env);
    for (const command of ["pause", "resume", "cancel"]) {
      assert.match(help.stdout, new RegExp(`\\n  ${command} +\\S`));
    }
  });

  test("watch goes on through a pause and exits 1 when the campaign is cancelled", async () => {
    const id = await runningCampaign();
    await fetch(`${env.NASVAE_URL}/campaigns/${id}/pause`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}` },
    });
    // Cancel only once the CLI has shown `paused` (its start takes a second or more).
    let sawPaused: () => void = () => {};
    const paused = new Promise<void>((resolve) => {
      sawPaused = resolve;
    });
    const watching = nasvae(["watch", id, "--interval", "0.2"], env, undefined, (stdout) => {
      if (/paused/.test(stdout)) sawPaused();
    });
    await paused;
    await fetch(`${env.NASVAE_URL}/campaigns/${id}/cancel`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}` },
    });
    const result = await watching;
    assert.equal(result.code, 1);
    assert.match(result.stdout, /paused/);
    assert.match(result.stderr, /cancelled in .*: cancelled on request \(nasvae cancel\)/);
  });
});
