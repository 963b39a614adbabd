import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { after, before, describe, test } from "node:test";
import { createLogger } from "@nasvae/config";
import { createRound } from "@nasvae/db";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { evaluatorFingerprint, loadNasBench201Table } from "@nasvae/evaluators";
import { evaluateJob } from "@nasvae/jobs";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import { nasBench201SearchSpace as space } from "@nasvae/search-space";
import type { QueueEvents } from "bullmq";
import { EvaluationWorker, isLookup, savesCheckpoints } from "../src/evaluation-worker.ts";

const evaluator = { kind: "nas-bench-201", dataset: "cifar10" } as const;
const bestCifar10 =
  "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";

describe("evaluation worker", () => {
  let database: TestDatabase;
  let redis: TestQueues;
  let worker: EvaluationWorker;
  let events: QueueEvents;
  let fingerprint: string;

  before(async () => {
    database = await createTestDatabase("worker");
    redis = await createTestQueues("worker");
    fingerprint = await evaluatorFingerprint(evaluator);
    worker = new EvaluationWorker({
      db: database.db,
      connection: redis.connection,
      prefix: redis.prefix,
      concurrency: 2,
      name: "test-worker",
      log: createLogger("worker", "silent"),
    });
    worker.start();
    events = await redis.queueEvents(evaluateJob.queue);
  });
  after(async () => {
    await worker.close();
    await redis.cleanup();
    await database.drop();
  });

  /** A campaign with one round proposing `archString`; returns the evaluate payload of its trial. */
  async function proposeTrial(archString: string) {
    const campaign = await database.db.campaign.create({
      data: {
        name: "worker test",
        searchSpace: "nas-bench-201",
        evaluator,
        evaluatorFingerprint: fingerprint,
        strategy: { kind: "random" },
        budgetEvaluations: 1,
        roundSize: 1,
        seed: 1,
      },
    });
    const cell = space.parse(archString);
    const round = await createRound(database.db, {
      campaignId: campaign.id,
      index: 0,
      strategy: "random",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: fingerprint,
      candidates: [{ archString, canonicalHash: space.canonicalHash(cell) }],
    });
    const [trial] = round.trials;
    assert.ok(trial);
    return {
      trial,
      payload: {
        campaignId: campaign.id,
        roundId: round.id,
        trialId: trial.id,
        architectureId: trial.architectureId,
        searchSpace: "nas-bench-201",
        archString,
        evaluator: { ...evaluator },
        evaluatorFingerprint: fingerprint,
      },
    };
  }

  async function run(payload: object, jobId: string) {
    const job = await redis.queues.byName.evaluations.add(evaluateJob.name, payload, {
      ...evaluateJob.options,
      backoff: { type: "fixed", delay: 10 },
      jobId,
    });
    return job.waitUntilFinished(events, 20_000);
  }

  test("evaluates from the table and records the result with the trial", async () => {
    const { trial, payload } = await proposeTrial(bestCifar10);
    const result = await run(payload, `trial-${trial.id}`);
    const table = await loadNasBench201Table();
    const row = table.byArch.get(bestCifar10);
    assert.ok(row);
    assert.equal(result.validationAccuracy, row.cifar10_valid_acc);
    assert.equal(result.testAccuracy, row.cifar10_test_acc);
    assert.equal(result.flops, Math.round(row.flops_m * 1e6));
    assert.equal(result.params, Math.round(row.params_m * 1e6));
    assert.equal(result.cached, false);
    const stored = await database.db.trial.findUniqueOrThrow({
      where: { id: trial.id },
      include: { evaluation: true },
    });
    assert.equal(stored.status, "completed");
    assert.equal(stored.evaluation?.worker, "test-worker");
    assert.equal(stored.evaluation?.validationAccuracy, row.cifar10_valid_acc);
  });

  test("the same evaluate job delivered twice leaves one evaluation row", async () => {
    const arch =
      "|nor_conv_1x1~0|+|skip_connect~0|none~1|+|nor_conv_1x1~0|skip_connect~1|nor_conv_1x1~2|";
    const { trial, payload } = await proposeTrial(arch);
    const [first, second] = await Promise.all([
      run(payload, `trial-${trial.id}`),
      run(payload, `trial-${trial.id}-redelivered`),
    ]);
    assert.equal(first.evaluationId, second.evaluationId);
    assert.equal(
      await database.db.evaluation.count({ where: { architectureId: trial.architectureId } }),
      1,
    );
  });

  test("an architecture already evaluated for another campaign is reused, not recomputed", async () => {
    const arch =
      "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";
    const first = await proposeTrial(arch);
    const computed = await run(first.payload, `trial-${first.trial.id}`);
    // The second campaign's round was written before the result existed, so its trial is pending.
    const second = await proposeTrial(arch);
    assert.equal(second.trial.architectureId, first.trial.architectureId);
    const reused = await run(second.payload, `trial-${second.trial.id}`);
    assert.equal(reused.cached, true);
    assert.equal(reused.evaluationId, computed.evaluationId);
    const trial = await database.db.trial.findUniqueOrThrow({ where: { id: second.trial.id } });
    assert.equal(trial.cached, true);
    assert.equal(trial.evaluationId, computed.evaluationId);
  });

  test("a table lookup is recorded with its gate in one statement, without a read before", async () => {
    assert.equal(isLookup(evaluator), true);
    assert.equal(isLookup({ kind: "enas-6-table", dataset: "cifar10" }), true);
    assert.equal(isLookup({ kind: "train", dataset: "cifar10" }), false);
    const reads = (worker as unknown as { stateReads: { request(key: unknown): Promise<unknown> } })
      .stateReads;
    const request = reads.request.bind(reads);
    let count = 0;
    reads.request = (key) => {
      count += 1;
      return request(key);
    };
    try {
      const arch =
        "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|none~1|none~2|";
      const { trial, payload } = await proposeTrial(arch);
      const result = await run(payload, `trial-${trial.id}`);
      assert.equal(result.cached, false);
      assert.equal(count, 0, "no read before the record");
      const stored = await database.db.trial.findUniqueOrThrow({ where: { id: trial.id } });
      assert.equal(stored.status, "completed");
      assert.equal(stored.evaluationId, result.evaluationId);
      // Delivered again: the record is refused (the trial is no longer pending), and the job
      // goes the usual way, reads first, to the result already recorded.
      const again = await run(payload, `trial-${trial.id}-again`);
      assert.equal(again.evaluationId, result.evaluationId);
      assert.equal(again.cached, true);
      assert.equal(count, 1);
    } finally {
      reads.request = request;
    }
  });

  test("a table evaluation looks for no checkpoint (only the train evaluator saves them)", async () => {
    assert.equal(savesCheckpoints({ kind: "train", dataset: "cifar10" }), true);
    assert.equal(savesCheckpoints(evaluator), false);
    assert.equal(savesCheckpoints(undefined), false);
    const arch = "|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|";
    const { trial, payload } = await proposeTrial(arch);
    // A file where a checkpoint of this trial would be: a table evaluation does not touch it.
    const path = worker.checkpoints.path(payload);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, "not a checkpoint");
    try {
      const result = await run(payload, `trial-${trial.id}`);
      assert.equal(result.cached, false);
      assert.equal(readFileSync(path, "utf8"), "not a checkpoint");
    } finally {
      rmSync(path, { force: true });
    }
  });

  test("a malformed payload fails at once, without retries", async () => {
    const job = await redis.queues.byName.evaluations.add(
      evaluateJob.name,
      { trialId: "nope" },
      { ...evaluateJob.options, jobId: "malformed" },
    );
    await assert.rejects(job.waitUntilFinished(events, 20_000), /invalid evaluate payload/);
    const failed = await redis.queues.byName.evaluations.getJob("malformed");
    assert.equal(failed?.attemptsMade, 1);
  });
});
