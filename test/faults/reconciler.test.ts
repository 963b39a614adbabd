// Fault: jobs missing from Redis (or failed for good) while Postgres says their work is not done,
// each case set up directly in Postgres and Redis, then one reconcile pass (no processes run).
// Asserts: the pass re-enqueues exactly the missing job under its catalogue jobId (the start job,
// a round's whole flow, the missing children of a waiting round, a closed round's job), retries
// a failed one, leaves paused, cancelled, ended and busy campaigns alone, and a second pass adds
// nothing (idempotent).
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { createLogger } from "@nasvae/config";
import type { Campaign, CampaignStatus } from "@nasvae/db";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import {
  evaluateJob,
  type ReconcileReport,
  Reconciler,
  roundFlow,
  roundJob,
  startCampaignJob,
} from "@nasvae/jobs";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import { type Processor, UnrecoverableError, Worker } from "bullmq";
import { distinctArchitectures, proposeTrials } from "./support/faults.ts";

describe("the reconciler", () => {
  let database: TestDatabase;
  let redis: TestQueues;
  let busy = new Set<string>();
  let reconciler: Reconciler;
  let seed = 100;

  before(async () => {
    database = await createTestDatabase("faults_reconciler");
    redis = await createTestQueues("faults-reconciler");
    reconciler = new Reconciler({
      db: database.db,
      queues: redis.queues,
      log: createLogger("coordinator", "silent"),
      intervalMs: 0,
      isBusy: (id) => busy.has(id),
    });
  });
  beforeEach(async () => {
    // Each case alone: earlier campaigns end, so that passes only see the new one.
    await database.db.campaign.updateMany({ data: { status: "completed" } });
    busy = new Set();
  });
  after(async () => {
    await reconciler.close();
    await redis.cleanup();
    await database.drop();
  });

  /** A campaign whose round 0 proposes `trials` architectures (none evaluated yet). */
  async function campaignWithRound(trials: number, status: CampaignStatus = "running") {
    seed += 1;
    const [first] = await proposeTrials(database.db, distinctArchitectures(trials, seed));
    assert.ok(first);
    const campaign = await database.db.campaign.update({
      where: { id: first.campaignId },
      data: { status },
    });
    const round = await database.db.round.findFirstOrThrow({
      where: { campaignId: campaign.id },
      include: { trials: { orderBy: { id: "asc" } } },
    });
    return { campaign, round };
  }

  const roundJobId = (campaign: Campaign, index = 0) =>
    roundJob.jobId({ campaignId: campaign.id, roundId: "", roundIndex: index });
  const none = { campaign: 0, round: 0, evaluate: 0 };
  const added = (report: ReconcileReport) => report.added;

  /** Runs `processor` on the next job of `queue` with a throwaway worker. */
  async function runOnce(queue: "rounds" | "campaigns", processor: Processor): Promise<void> {
    const connection = redis.connection.duplicate();
    const worker = new Worker(queue, processor, { connection, prefix: redis.prefix });
    try {
      await new Promise<void>((resolve) => {
        worker.on("completed", () => resolve());
        worker.on("failed", () => resolve());
      });
    } finally {
      await worker.close();
      connection.disconnect();
    }
  }

  test("a queued campaign without its start job gets it back, once", async () => {
    const { campaign } = await campaignWithRound(1, "queued");
    await database.db.round.deleteMany({ where: { campaignId: campaign.id } });
    assert.deepEqual(added(await reconciler.reconcile()), { ...none, campaign: 1 });
    const job = await redis.queues.byName.campaigns.getJob(
      startCampaignJob.jobId({ campaignId: campaign.id }),
    );
    assert.deepEqual(job?.data, { campaignId: campaign.id });
    assert.deepEqual(added(await reconciler.reconcile()), none, "idempotent");
  });

  test("a running round whose flow is gone: the flow again, with its pending trials only", async () => {
    const { campaign, round } = await campaignWithRound(4);
    // One trial was evaluated before Redis lost everything: it gets no job.
    const [done] = round.trials;
    assert.ok(done);
    await database.db.trial.update({ where: { id: done.id }, data: { status: "completed" } });
    assert.deepEqual(added(await reconciler.reconcile()), { ...none, round: 1, evaluate: 3 });

    const parent = await redis.queues.byName.rounds.getJob(roundJobId(campaign));
    assert.equal(await parent?.getState(), "waiting-children");
    assert.equal((await parent?.getDependenciesCount())?.unprocessed, 3);
    assert.equal(
      await redis.queues.byName.evaluations.getJobState(`trial-${done.id}`),
      "unknown",
      "the completed trial is not run again",
    );
    for (const trial of round.trials.slice(1)) {
      const child = await redis.queues.byName.evaluations.getJob(`trial-${trial.id}`);
      assert.equal(child?.data.archString, trial.archString);
      assert.deepEqual(child?.opts.attempts, evaluateJob.options.attempts);
    }
    assert.deepEqual(added(await reconciler.reconcile()), none, "idempotent");
  });

  test("a round waiting for its children, one of them lost: that child again, under the round", async () => {
    const { campaign, round } = await campaignWithRound(3);
    await redis.queues.flows.add(roundFlow(campaign, round, round.trials));
    const lost = round.trials[1];
    assert.ok(lost);
    await redis.queues.byName.evaluations.remove(`trial-${lost.id}`);
    const parent = await redis.queues.byName.rounds.getJob(roundJobId(campaign));
    assert.equal((await parent?.getDependenciesCount())?.unprocessed, 2);

    assert.deepEqual(added(await reconciler.reconcile()), { ...none, evaluate: 1 });
    assert.equal((await parent?.getDependenciesCount())?.unprocessed, 3);
    const child = await redis.queues.byName.evaluations.getJob(`trial-${lost.id}`);
    assert.equal(child?.parent?.id, roundJobId(campaign));
    assert.deepEqual(added(await reconciler.reconcile()), none, "idempotent");
  });

  test("a closed round without its job: the job alone again (it plans the next round)", async () => {
    const { campaign, round } = await campaignWithRound(2);
    await database.db.trial.updateMany({
      where: { roundId: round.id },
      data: { status: "completed" },
    });
    await database.db.round.update({ where: { id: round.id }, data: { status: "completed" } });
    assert.deepEqual(added(await reconciler.reconcile()), { ...none, round: 1 });
    const job = await redis.queues.byName.rounds.getJob(roundJobId(campaign));
    assert.equal(await job?.getState(), "waiting");
    assert.deepEqual(job?.data, { campaignId: campaign.id, roundId: round.id, roundIndex: 0 });
  });

  test("a round job that failed for good is retried", async () => {
    const { campaign, round } = await campaignWithRound(1);
    await database.db.round.update({ where: { id: round.id }, data: { status: "completed" } });
    await redis.queues.add(roundJob, { campaignId: campaign.id, roundId: round.id, roundIndex: 0 });
    await runOnce("rounds", async () => {
      throw new UnrecoverableError("postgres was down for too long");
    });
    const id = roundJobId(campaign);
    assert.equal(await redis.queues.byName.rounds.getJobState(id), "failed");
    const report = await reconciler.reconcile();
    assert.equal(report.retried, 1);
    assert.equal(await redis.queues.byName.rounds.getJobState(id), "waiting");
  });

  test("a finished round job whose campaign is still waiting: redone, but only when seen twice", async () => {
    const { campaign, round } = await campaignWithRound(1);
    await database.db.round.update({ where: { id: round.id }, data: { status: "completed" } });
    await redis.queues.add(roundJob, { campaignId: campaign.id, roundId: round.id, roundIndex: 0 });
    await runOnce("rounds", async () => {}); // it planned nothing (the campaign was paused, say)
    const id = roundJobId(campaign);
    assert.equal(await redis.queues.byName.rounds.getJobState(id), "completed");
    const first = await reconciler.reconcile();
    assert.deepEqual(added(first), none, "could be a moment between two steps");
    assert.equal(first.deferred, 1);
    assert.deepEqual(added(await reconciler.reconcile()), { ...none, round: 1 });
    assert.equal(await redis.queues.byName.rounds.getJobState(id), "waiting");
  });

  test("paused, cancelled and ended campaigns are left alone; busy ones wait for the next pass", async () => {
    for (const status of ["paused", "cancelled", "completed", "failed"] as const) {
      await campaignWithRound(1, status);
    }
    assert.deepEqual(await reconciler.reconcile(), {
      campaigns: 0,
      added: none,
      retried: 0,
      deferred: 0,
    });
    const { campaign } = await campaignWithRound(1);
    busy.add(campaign.id);
    const report = await reconciler.reconcile();
    assert.deepEqual(added(report), none);
    assert.equal(report.deferred, 1);
    busy.clear();
    assert.deepEqual(added(await reconciler.reconcile()), { ...none, round: 1, evaluate: 1 });
  });
});
