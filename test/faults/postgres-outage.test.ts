// Fault: Postgres becomes unreachable for 10 s in the middle of two campaigns; then, for the
// coordinator alone, for 8 s while the workers finish rounds (so that round jobs meet it). The
// apps reach Postgres through TCP proxies of this test (the shared server is never touched; the
// coordinator has one of its own), which reset every open connection and refuse new ones, then
// let them through again. The retry window is short (DATABASE_RETRY_TIMEOUT_MS=3000), so both
// outage paths run: work retried in place, and jobs postponed without spending an attempt, their
// computed results kept with them.
// Asserts: evaluations made during the outage are not lost and not made twice; each campaign
// completes with exactly its budget, one evaluation row per architecture, no trial failed or
// pending; no job failed, and every job completed at its first attempt.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { entryPoints } from "../../scripts/lib/local-stack.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";
import {
  assertNothingLost,
  completedTrials,
  logLines,
  PostgresProxy,
  postCampaign,
  reportOutput,
  sleep,
  waitFor,
  waitForCampaigns,
} from "./support/faults.ts";

const campaigns = [
  { strategy: { kind: "random" as const }, budget: 40, perRound: 10, seed: 51 },
  { strategy: { kind: "evolution" as const }, budget: 40, perRound: 8, seed: 52 },
];

/** Every job of the three queues ended well, at its first attempt (no outage spent one). */
async function assertNoAttemptSpent(env: TestStack): Promise<void> {
  const { evaluations, rounds, campaigns: starts } = env.redis.queues.byName;
  for (const queue of [evaluations, rounds, starts]) {
    assert.equal(await queue.getFailedCount(), 0, `no ${queue.name} job failed`);
    for (const job of await queue.getJobs(["completed"])) {
      assert.equal(job.attemptsMade, 1, `${job.id} completed at its first attempt`);
    }
  }
}

describe("Postgres unreachable mid-campaign", () => {
  let proxy: PostgresProxy;
  /** The coordinator's own way to Postgres. */
  let coordinatorProxy: PostgresProxy;
  let env: TestStack;

  before(async () => {
    proxy = await PostgresProxy.start();
    coordinatorProxy = await PostgresProxy.start();
    env = await startTestStack(
      "faults-pg",
      2,
      { EVALUATION_DELAY_MS: "200", DATABASE_RETRY_TIMEOUT_MS: "3000" },
      { databasePort: proxy.port },
    );
    // The coordinator again, through its own proxy.
    const coordinator = env.stack.processes.find((p) => p.name === "coordinator");
    coordinator?.child.kill("SIGTERM");
    await coordinator?.exited;
    const url = new URL(env.database.url);
    url.port = String(coordinatorProxy.port);
    env.stack.spawn("coordinator-2", entryPoints.coordinator, { DATABASE_URL: url.toString() });
  });
  after(async (context) => {
    proxy?.restore();
    coordinatorProxy?.restore();
    reportOutput(env, context.signal.aborted || Boolean(process.exitCode));
    await env?.stop();
    await proxy?.close();
    await coordinatorProxy?.close();
  });

  test("jobs wait for Postgres instead of failing; nothing lost, nothing evaluated twice", async () => {
    const ids: string[] = [];
    for (const spec of campaigns) ids.push(await postCampaign(env, spec));
    const total = campaigns.reduce((sum, c) => sum + c.budget, 0);
    const { db } = env.database; // direct, not through the proxy

    await waitFor(
      "a quarter of the evaluations",
      async () => (await completedTrials(db, ids)) >= total / 4,
      60_000,
      () => env.output.slice(-30).join("\n"),
    );
    proxy.cut();
    coordinatorProxy.cut();
    const doneAtCut = await completedTrials(db, ids);
    await sleep(10_000);
    assert.equal(await completedTrials(db, ids), doneAtCut, "nothing was recorded while cut off");
    proxy.restore();
    coordinatorProxy.restore();

    await waitForCampaigns(env, ids, 75_000);
    await assertNothingLost(
      env,
      ids.map((id, i) => ({ id, budget: campaigns[i]?.budget ?? 0 })),
    );

    // The outage outlasted the retry window: jobs were postponed, not failed.
    const postponed = logLines(env, "database unreachable: job postponed (no attempt spent)");
    assert.ok(postponed.length > 0, "some job was postponed");
    assert.ok(logLines(env, "database reachable again").length > 0);
    // A result computed during the outage was kept and recorded, not computed again.
    const started = new Map<string, number>();
    for (const { line } of logLines(env, "evaluation started")) {
      const trialId = String(line.trialId);
      started.set(trialId, (started.get(trialId) ?? 0) + 1);
    }
    const twice = [...started].filter(([, runs]) => runs > 1);
    assert.deepEqual(twice, [], "no architecture evaluated twice");

    await assertNoAttemptSpent(env);
  });

  test("round jobs wait for Postgres while the coordinator alone is cut off", async () => {
    const spec = { strategy: { kind: "random" as const }, budget: 30, perRound: 10, seed: 53 };
    const id = await postCampaign(env, spec);
    const { db } = env.database;
    await waitFor(
      "round 0 under way",
      async () => (await completedTrials(db, [id])) >= 2,
      60_000,
      () => env.output.slice(-30).join("\n"),
    );
    // The workers finish round 0 meanwhile: its round job meets the outage.
    const before = logLines(env, "database unreachable: job postponed (no attempt spent)").length;
    coordinatorProxy.cut();
    await sleep(8000);
    coordinatorProxy.restore();

    await waitForCampaigns(env, [id], 60_000);
    await assertNothingLost(env, [{ id, budget: spec.budget }]);
    const postponed = logLines(env, "database unreachable: job postponed (no attempt spent)")
      .slice(before)
      .filter((l) => l.process === "coordinator-2");
    assert.ok(postponed.length > 0, "a round job was postponed");
    assert.equal(postponed[0]?.line.queue, "rounds");
    await assertNoAttemptSpent(env);
  });
});
