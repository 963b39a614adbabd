// The worker's side of campaign control, in-process on the real Postgres and Redis: jobs of a
// paused campaign are held (delayed, no attempt spent, nothing evaluated) and run once it runs
// again; jobs of a cancelled campaign evaluate nothing; other campaigns' jobs run all along.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createLogger } from "@nasvae/config";
import { CANCELLED_TRIAL_ERROR, createRound } from "@nasvae/db";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { evaluatorFingerprint } from "@nasvae/evaluators";
import { evaluateJob } from "@nasvae/jobs";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import { nasBench201SearchSpace as space } from "@nasvae/search-space";
import type { QueueEvents } from "bullmq";
import { EvaluationWorker } from "../src/evaluation-worker.ts";

const evaluator = { kind: "nas-bench-201", dataset: "cifar10" } as const;
const cells = [
  "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|",
  "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|",
  "|skip_connect~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|avg_pool_3x3~0|skip_connect~1|nor_conv_3x3~2|",
];

describe("evaluation worker under campaign control", () => {
  let database: TestDatabase;
  let redis: TestQueues;
  let worker: EvaluationWorker;
  let events: QueueEvents;
  let fingerprint: string;

  before(async () => {
    database = await createTestDatabase("worker_gate");
    redis = await createTestQueues("worker-gate");
    fingerprint = await evaluatorFingerprint(evaluator);
    worker = new EvaluationWorker({
      db: database.db,
      connection: redis.connection,
      prefix: redis.prefix,
      concurrency: 2,
      name: "gate-worker",
      log: createLogger("worker", "silent"),
      holdDelay: { firstMs: 100, maxMs: 300 },
    });
    worker.start();
    events = await redis.queueEvents(evaluateJob.queue);
  });
  after(async () => {
    await worker.close();
    await redis.cleanup();
    await database.drop();
  });

  /** A campaign in `status` with one pending trial of `archString`, and its evaluate job queued. */
  async function campaignWithJob(status: "running" | "paused" | "cancelled", archString: string) {
    const campaign = await database.db.campaign.create({
      data: {
        name: `gate ${status}`,
        status,
        searchSpace: "nas-bench-201",
        evaluator,
        evaluatorFingerprint: fingerprint,
        strategy: { kind: "random" },
        budgetEvaluations: 1,
        roundSize: 1,
        seed: 1,
        startedAt: new Date(),
      },
    });
    const round = await createRound(database.db, {
      campaignId: campaign.id,
      index: 0,
      strategy: "random",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: fingerprint,
      candidates: [{ archString, canonicalHash: space.canonicalHash(space.parse(archString)) }],
    });
    const [trial] = round.trials;
    assert.ok(trial);
    const payload = {
      campaignId: campaign.id,
      roundId: round.id,
      trialId: trial.id,
      architectureId: trial.architectureId,
      searchSpace: "nas-bench-201",
      archString,
      evaluator: { ...evaluator },
      evaluatorFingerprint: fingerprint,
    };
    const job = await redis.queues.byName.evaluations.add(evaluateJob.name, payload, {
      ...evaluateJob.options,
      jobId: evaluateJob.jobId(payload),
    });
    return { campaign, trial, job };
  }

  test("a paused campaign's job is held without an attempt, another campaign's runs; resumed, it runs", async () => {
    const held = await campaignWithJob("paused", cells[0] as string);
    const other = await campaignWithJob("running", cells[1] as string);

    const otherResult = await other.job.waitUntilFinished(events, 10_000);
    assert.equal(otherResult.cached, false);

    // Several looks (100, 200, 300 ms apart): still held, nothing evaluated, no attempt spent.
    await sleep(1200);
    const job = await redis.queues.byName.evaluations.getJob(held.job.id as string);
    assert.ok(job);
    assert.ok(["delayed", "waiting", "active"].includes(await job.getState()));
    assert.equal(job.attemptsMade, 0);
    assert.ok(job.attemptsStarted >= 3, `looked at ${job.attemptsStarted} times`);
    const trial = await database.db.trial.findUniqueOrThrow({ where: { id: held.trial.id } });
    assert.equal(trial.status, "pending");
    const evaluations = await database.db.evaluation.count({
      where: { architectureId: held.trial.architectureId },
    });
    assert.equal(evaluations, 0);

    await database.db.campaign.update({
      where: { id: held.campaign.id },
      data: { status: "running" },
    });
    const result = await job.waitUntilFinished(events, 10_000);
    assert.equal(result.cached, false);
    const done = await database.db.trial.findUniqueOrThrow({ where: { id: held.trial.id } });
    assert.equal(done.status, "completed");
  });

  test("a cancelled campaign's job evaluates nothing; a trial still pending fails as cancelled", async () => {
    const { trial, job } = await campaignWithJob("cancelled", cells[2] as string);
    const result = await job.waitUntilFinished(events, 10_000);
    assert.deepEqual(result, { trialId: trial.id, skipped: "campaign cancelled" });
    const row = await database.db.trial.findUniqueOrThrow({ where: { id: trial.id } });
    assert.equal(row.status, "failed");
    assert.equal(row.error, CANCELLED_TRIAL_ERROR);
    assert.equal(
      await database.db.evaluation.count({ where: { architectureId: trial.architectureId } }),
      0,
    );
  });
});
