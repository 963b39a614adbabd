// End to end: pause, resume and cancel through the REST API, with the API, the coordinator and two
// workers as separate processes on the real Postgres and Redis, and a second campaign running
// alongside each time. Every evaluation is held 100 ms longer than the table needs
// (EVALUATION_DELAY_MS), so that a campaign of 60 is still running when it is paused or cancelled.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { startTestStack, type TestStack } from "../support/test-stack.ts";

interface Campaign {
  id: string;
  status: string;
  progress: {
    evaluations: number;
    budget: number;
    pending: number;
    failed: number;
    rounds: number;
  };
}

const UNFINISHED = ["waiting", "delayed", "prioritized", "active", "waiting-children"] as const;

describe("campaign control end to end through separate processes", () => {
  let env: TestStack;

  before(async () => {
    env = await startTestStack("e2e-control", 2, { EVALUATION_DELAY_MS: "100" });
  });
  after(async (context) => {
    if (context.signal.aborted || process.exitCode) console.log(env.output.slice(-80).join("\n"));
    await env.stop();
  });

  function campaignBody(name: string, dataset: string, seed: number) {
    return {
      name,
      searchSpace: "nas-bench-201",
      evaluator: { kind: "nas-bench-201", dataset },
      strategy: { kind: "random" },
      budget: { evaluations: 60, perRound: 10 },
      seed,
    };
  }

  async function post(path: string, body?: object): Promise<Response> {
    return fetch(`${env.base}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${env.apiKey}`,
        ...(body ? { "content-type": "application/json" } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  }

  async function create(body: object): Promise<string> {
    const response = await post("/campaigns", body);
    assert.equal(response.status, 201, await response.clone().text());
    return ((await response.json()) as Campaign).id;
  }

  async function get(id: string): Promise<Campaign> {
    return (await (await fetch(`${env.base}/campaigns/${id}`)).json()) as Campaign;
  }

  async function waitFor(
    id: string,
    done: (campaign: Campaign) => boolean,
    what: string,
    timeoutMs = 90_000,
  ): Promise<Campaign> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const campaign = await get(id);
      if (done(campaign)) return campaign;
      if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(campaign)}`);
      await sleep(100);
    }
  }

  /** Jobs of a campaign that have not finished, in every queue: "queue:jobId state". */
  async function unfinishedJobs(campaignId: string): Promise<string[]> {
    const found: string[] = [];
    for (const queue of Object.values(env.redis.queues.byName)) {
      for (const state of UNFINISHED) {
        for (const job of await queue.getJobs([state])) {
          if (job?.data?.campaignId === campaignId) found.push(`${queue.name}:${job.id} ${state}`);
        }
      }
    }
    return found;
  }

  async function completedTrials(campaignId: string): Promise<number> {
    return env.database.db.trial.count({ where: { campaignId, status: "completed" } });
  }

  test("pause holds a campaign (no progress, the other one goes on); resume completes it exactly", async () => {
    const paused = await create(campaignBody("to pause", "cifar10", 31));
    const other = await create(campaignBody("alongside", "cifar100", 32));

    await waitFor(paused, (c) => c.progress.evaluations >= 15, "15 evaluations before the pause");
    const response = await post(`/campaigns/${paused}/pause`);
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(((await response.json()) as Campaign).status, "paused");

    // Evaluations running at the pause finish and are recorded; then nothing moves.
    await sleep(1000);
    const held = await get(paused);
    const heldRounds = await env.database.db.round.count({ where: { campaignId: paused } });
    const otherAtPause = (await get(other)).progress.evaluations;
    await sleep(3000);
    const still = await get(paused);
    assert.equal(still.status, "paused");
    assert.equal(still.progress.evaluations, held.progress.evaluations, "no progress while paused");
    assert.equal(await completedTrials(paused), held.progress.evaluations);
    assert.equal(
      await env.database.db.round.count({ where: { campaignId: paused } }),
      heldRounds,
      "no round planned while paused",
    );
    assert.ok(held.progress.evaluations < 60);
    // Its unfinished evaluate jobs are held in the queue, none lost.
    const pendingTrials = await env.database.db.trial.findMany({
      where: { campaignId: paused, status: "pending" },
      select: { id: true },
    });
    for (const trial of pendingTrials) {
      const job = await env.redis.queues.byName.evaluations.getJob(`trial-${trial.id}`);
      assert.ok(job, `the job of pending trial ${trial.id} is kept`);
      assert.ok(["delayed", "waiting", "active"].includes(await job.getState()));
      assert.equal(job.attemptsMade, 0, "holding a job spends none of its attempts");
    }
    const otherNow = await get(other);
    assert.ok(
      otherNow.status === "completed" || otherNow.progress.evaluations > otherAtPause,
      `the other campaign went on: ${otherAtPause} -> ${otherNow.progress.evaluations}`,
    );

    const resumed = await post(`/campaigns/${paused}/resume`);
    assert.equal(resumed.status, 200, await resumed.clone().text());
    assert.equal(((await resumed.json()) as Campaign).status, "running");
    for (const id of [paused, other]) {
      const end = await waitFor(id, (c) => c.status !== "running", `campaign ${id} to end`);
      assert.equal(end.status, "completed", JSON.stringify(end));
      assert.equal(end.progress.evaluations, 60);
      assert.equal(end.progress.failed, 0);
      assert.equal(end.progress.pending, 0);
      const page = (await (
        await fetch(`${env.base}/campaigns/${id}/evaluations?limit=1000`)
      ).json()) as { items: { architecture: string }[]; total: number };
      assert.equal(page.total, 60);
      assert.equal(new Set(page.items.map((item) => item.architecture)).size, 60, "no duplicates");
      assert.equal(await completedTrials(id), 60);
    }
  });

  test("cancel ends a campaign mid-way: nothing recorded after it, no job left; the other completes", async () => {
    const cancelled = await create(campaignBody("to cancel", "cifar10", 41));
    const other = await create(campaignBody("alongside", "ImageNet16-120", 42));

    await waitFor(cancelled, (c) => c.progress.evaluations >= 15, "15 evaluations before cancel");
    const response = await post(`/campaigns/${cancelled}/cancel`);
    assert.equal(response.status, 200, await response.clone().text());
    const body = (await response.json()) as Campaign & { finishedAt: string | null };
    assert.equal(body.status, "cancelled");
    assert.ok(body.finishedAt);
    // No trial of it can complete after the cancel committed: this count is final.
    const atCancel = await completedTrials(cancelled);
    assert.ok(atCancel < 60);

    const end = await waitFor(other, (c) => c.status !== "running", "the other campaign to end");
    assert.equal(end.status, "completed", JSON.stringify(end));
    assert.equal(end.progress.evaluations, 60);

    // Evaluations running at the cancel have finished by now; none counted, none left queued.
    const deadline = Date.now() + 20_000;
    let left = await unfinishedJobs(cancelled);
    while (left.length > 0 && Date.now() < deadline) {
      await sleep(200);
      left = await unfinishedJobs(cancelled);
    }
    assert.deepEqual(left, [], "no job of the cancelled campaign is left in Redis");
    const final = await get(cancelled);
    assert.equal(final.status, "cancelled");
    assert.equal(final.progress.evaluations, atCancel, "no evaluation recorded after the cancel");
    assert.equal(final.progress.pending, 0);
    assert.equal(await completedTrials(cancelled), atCancel);
    const rounds = await env.database.db.round.findMany({ where: { campaignId: cancelled } });
    assert.ok(rounds.every((round) => round.status !== "running"));
    const failed = await env.database.db.trial.findMany({
      where: { campaignId: cancelled, status: "failed" },
    });
    assert.ok(failed.every((trial) => trial.error === "campaign cancelled"));

    const again = await post(`/campaigns/${cancelled}/cancel`);
    assert.equal(again.status, 409);
  });
});
