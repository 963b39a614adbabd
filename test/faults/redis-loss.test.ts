// Fault: Redis loses everything. The stack runs on a redis-server of this test's own (no
// persistence); with three campaigns half done it is killed (SIGKILL) and started again, empty,
// on the same port: every queued job, round flow and running job's key is gone.
// Asserts: the coordinator's reconciler rebuilds the work in flight from Postgres, and every
// campaign completes with exactly its budget of evaluations, no trial pending or failed, no
// architecture evaluated into two rows, no round proposed twice.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startTestStack, type TestStack } from "../support/test-stack.ts";
import {
  assertNothingLost,
  completedTrials,
  logLines,
  postCampaign,
  RedisServer,
  reportOutput,
  sleep,
  waitFor,
  waitForCampaigns,
} from "./support/faults.ts";

const campaigns = [
  { strategy: { kind: "random" as const }, budget: 50, perRound: 10, seed: 21 },
  { strategy: { kind: "evolution" as const }, budget: 40, perRound: 8, seed: 22 },
  { strategy: { kind: "random" as const }, budget: 60, perRound: 10, seed: 23 },
];

async function redisRunId(env: TestStack): Promise<string | undefined> {
  const info = await env.redis.connection.info("server");
  return /run_id:(\w+)/.exec(info)?.[1];
}

describe("Redis loses everything mid-campaign", () => {
  let redis: RedisServer;
  let env: TestStack;

  before(async () => {
    redis = await RedisServer.start();
    env = await startTestStack(
      "faults-redis",
      2,
      // Evaluations take a little time, so that the loss strikes with work in flight.
      { EVALUATION_DELAY_MS: "100", RECONCILE_INTERVAL_MS: "2000" },
      { redisUrl: redis.url },
    );
  });
  after(async (context) => {
    reportOutput(env, context.signal.aborted || Boolean(process.exitCode));
    await env?.stop();
    await redis?.kill();
  });

  test("the reconciler rebuilds the lost work from Postgres; every campaign completes, nothing twice", async () => {
    const ids: string[] = [];
    for (const spec of campaigns) ids.push(await postCampaign(env, spec));
    const total = campaigns.reduce((sum, c) => sum + c.budget, 0);

    // Redis dies with about a third of the work done, and comes back empty.
    await waitFor(
      "a third of the evaluations",
      async () => (await completedTrials(env.database.db, ids)) >= total / 3,
      60_000,
      () => env.output.slice(-30).join("\n"),
    );
    const runId = await redisRunId(env);
    await redis.kill();
    const doneAtLoss = await completedTrials(env.database.db, ids);
    await sleep(1000);
    await redis.restart();
    // Another server process without persistence: it started empty.
    assert.notEqual(await redisRunId(env), runId, "Redis came back as a new, empty server");

    await waitForCampaigns(env, ids, 75_000);
    await assertNothingLost(
      env,
      ids.map((id, i) => ({ id, budget: campaigns[i]?.budget ?? 0 })),
    );
    assert.ok(doneAtLoss < total, "the loss struck mid-way");
    // It was the reconciler that brought the work back.
    const repairs = logLines(env, "reconciler re-enqueued work missing from Redis");
    assert.ok(repairs.length > 0, "the reconciler repaired something");
    // Every evaluate job that ran after the loss ended well: none failed for good.
    assert.equal(await env.redis.queues.byName.evaluations.getFailedCount(), 0);
  });
});
