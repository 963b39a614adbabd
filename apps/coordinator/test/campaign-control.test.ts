// The coordinator under campaign control, its processors called in-process on the real Postgres
// and Redis: a paused or cancelled campaign gets no new round; a resume-campaign job plans again
// where it stopped, or leaves it to a round job that has not run yet.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createLogger } from "@nasvae/config";
import { cancelCampaign, pauseCampaign, recordEvaluation, resumeCampaign } from "@nasvae/db";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { roundJob } from "@nasvae/jobs";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import type { Job } from "bullmq";
import { Coordinator } from "../src/coordinator.ts";

const evaluator = { kind: "nas-bench-201", dataset: "cifar10" };
const fingerprint = "c".repeat(64);

/** Just what the coordinator's processors read of a BullMQ job. */
function fakeJob(queueName: string, name: string, data: object): Job {
  return {
    id: `test-${name}`,
    name,
    queueName,
    data,
    getIgnoredChildrenFailures: async () => ({}),
  } as unknown as Job;
}

describe("coordinator under campaign control", () => {
  let database: TestDatabase;
  let redis: TestQueues;
  let coordinator: Coordinator;

  before(async () => {
    database = await createTestDatabase("coordinator_control");
    redis = await createTestQueues("coordinator-control");
    coordinator = new Coordinator({
      db: database.db,
      queues: redis.queues,
      connection: redis.connection,
      log: createLogger("coordinator", "silent"),
    });
  });
  after(async () => {
    await coordinator.close();
    await redis.cleanup();
    await database.drop();
  });

  async function createCampaign(seed: number) {
    return database.db.campaign.create({
      data: {
        name: "control",
        searchSpace: "nas-bench-201",
        evaluator,
        evaluatorFingerprint: fingerprint,
        strategy: { kind: "random" },
        budgetEvaluations: 6,
        roundSize: 3,
        seed,
      },
    });
  }

  const start = (campaignId: string) =>
    coordinator.startCampaign(fakeJob("campaigns", "start-campaign", { campaignId }));
  const resume = (campaignId: string) =>
    coordinator.resumeCampaign(
      fakeJob("campaigns", "resume-campaign", { campaignId, resumedAt: Date.now() }),
    );

  /** Records a result for every pending trial of round `index`, then runs its round job. */
  async function evaluateRound(campaignId: string, index: number) {
    const round = await database.db.round.findUniqueOrThrow({
      where: { campaignId_index: { campaignId, index } },
      include: { trials: true },
    });
    for (const trial of round.trials.filter((t) => t.status === "pending")) {
      await recordEvaluation(database.db, {
        trialId: trial.id,
        architectureId: trial.architectureId,
        evaluatorFingerprint: fingerprint,
        evaluator,
        result: { validationAccuracy: 80, testAccuracy: 81, flops: 1e6, params: 1e5 },
        worker: "test",
        durationMs: 1,
      });
    }
    await coordinator.finishRound(
      fakeJob("rounds", "round", { campaignId, roundId: round.id, roundIndex: index }),
    );
  }

  const rounds = (campaignId: string) =>
    database.db.round.findMany({ where: { campaignId }, orderBy: { index: "asc" } });

  test("a round that ends while paused plans nothing; the resume plans the next one", async () => {
    const campaign = await createCampaign(1);
    await start(campaign.id);
    assert.equal((await rounds(campaign.id)).length, 1);

    assert.equal((await pauseCampaign(database.db, campaign.id)).outcome, "changed");
    await evaluateRound(campaign.id, 0);
    const paused = await rounds(campaign.id);
    assert.deepEqual(
      paused.map((round) => round.status),
      ["completed"],
      "round 0 closed, no round 1",
    );

    assert.equal((await resumeCampaign(database.db, campaign.id)).outcome, "changed");
    await resume(campaign.id);
    const resumed = await rounds(campaign.id);
    assert.deepEqual(
      resumed.map((round) => [round.index, round.status]),
      [
        [0, "completed"],
        [1, "running"],
      ],
    );
    const job = await redis.queues.byName.rounds.getJob(
      roundJob.jobId({ campaignId: campaign.id, roundId: "", roundIndex: 1 }),
    );
    assert.equal(await job?.getState(), "waiting-children", "round 1 enqueued with its children");

    // Paused and resumed again while round 1 waits for its evaluations: its round job, when it
    // runs, goes on; the resume job plans nothing twice.
    await pauseCampaign(database.db, campaign.id);
    await resumeCampaign(database.db, campaign.id);
    await resume(campaign.id);
    assert.equal((await rounds(campaign.id)).length, 2);
    await evaluateRound(campaign.id, 1);
    const done = await database.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    assert.equal(done.status, "completed", "budget 6 spent in two rounds of 3");
    assert.equal(
      await database.db.trial.count({ where: { campaignId: campaign.id, status: "completed" } }),
      6,
    );
  });

  test("a campaign paused before it started: the start job does nothing; resumed, it starts", async () => {
    const campaign = await createCampaign(2);
    await pauseCampaign(database.db, campaign.id);
    await start(campaign.id);
    let row = await database.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    assert.equal(row.status, "paused");
    assert.equal(row.startedAt, null);
    assert.equal((await rounds(campaign.id)).length, 0);

    const resumed = await resumeCampaign(database.db, campaign.id);
    assert.equal(resumed.outcome === "changed" && resumed.campaign.status, "queued");
    await resume(campaign.id);
    row = await database.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    assert.equal(row.status, "running");
    assert.ok(row.startedAt);
    assert.equal((await rounds(campaign.id)).length, 1);
  });

  test("a cancelled campaign: its round job and any resume job plan nothing", async () => {
    const campaign = await createCampaign(3);
    await start(campaign.id);
    await cancelCampaign(database.db, campaign.id);
    await evaluateRound(campaign.id, 0); // its trials failed with the cancel: nothing recorded
    await resume(campaign.id);
    await start(campaign.id);
    const row = await database.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    assert.equal(row.status, "cancelled");
    assert.equal((await rounds(campaign.id)).length, 1);
    assert.equal(
      await database.db.trial.count({ where: { campaignId: campaign.id, status: "completed" } }),
      0,
    );
  });
});
