// The worker on enas-macro-6 cells, through BullMQ on the real Redis and Postgres: the
// enas-6-table evaluator's result is recorded with no test accuracy; a cell outside the table, or
// an evaluator that cannot score the job's space, fails the job at once, saying why.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createLogger } from "@nasvae/config";
import { type EvaluatorSpec, validateEvaluatorSpec } from "@nasvae/contracts";
import { createRound } from "@nasvae/db";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { DEFAULT_ENAS6_TABLE_PATH, evaluatorFingerprint, loadEnas6Table } from "@nasvae/evaluators";
import { evaluateJob } from "@nasvae/jobs";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import { enasNetworkCost, enasSearchSpace as space } from "@nasvae/search-space";
import type { QueueEvents } from "bullmq";
import { EvaluationWorker } from "../src/evaluation-worker.ts";

const evaluator = { kind: "enas-6-table", dataset: "cifar10" } as const;
const IN_TABLE = "[[1],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]"; // line 1
const NOT_IN_TABLE = "[[1],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,0]]";

describe("evaluation worker on enas-macro-6", () => {
  let database: TestDatabase;
  let redis: TestQueues;
  let worker: EvaluationWorker;
  let events: QueueEvents;
  let fingerprint: string;

  before(async () => {
    database = await createTestDatabase("worker_enas");
    redis = await createTestQueues("worker-enas");
    fingerprint = await evaluatorFingerprint(evaluator);
    worker = new EvaluationWorker({
      db: database.db,
      connection: redis.connection,
      prefix: redis.prefix,
      name: "enas-worker",
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

  /** A campaign with one round proposing `archString`; returns its trial and evaluate payload. */
  async function proposeTrial(
    archString: string,
    spec: EvaluatorSpec = evaluator,
    specFingerprint = fingerprint,
  ) {
    const campaign = await database.db.campaign.create({
      data: {
        name: "enas worker test",
        searchSpace: "enas-macro-6",
        evaluator: { ...spec },
        evaluatorFingerprint: specFingerprint,
        strategy: { kind: "random" },
        budgetEvaluations: 1,
        roundSize: 1,
        seed: 1,
      },
    });
    const round = await createRound(database.db, {
      campaignId: campaign.id,
      index: 0,
      strategy: "random",
      searchSpace: "enas-macro-6",
      evaluatorFingerprint: specFingerprint,
      candidates: [{ archString, canonicalHash: space.canonicalHash(space.parse(archString)) }],
    });
    const [trial] = round.trials;
    assert.ok(trial);
    const payload = {
      campaignId: campaign.id,
      roundId: round.id,
      trialId: trial.id,
      architectureId: trial.architectureId,
      searchSpace: "enas-macro-6",
      archString,
      evaluator: { ...spec },
      evaluatorFingerprint: specFingerprint,
    };
    return { trial, payload };
  }

  async function add(payload: object, jobId: string) {
    return redis.queues.byName.evaluations.add(evaluateJob.name, payload, {
      ...evaluateJob.options,
      backoff: { type: "fixed", delay: 10 },
      jobId,
    });
  }

  test("a table cell: ws_acc × 100 recorded, test accuracy null", async () => {
    const { trial, payload } = await proposeTrial(IN_TABLE);
    const job = await add(payload, `trial-${trial.id}`);
    const result = await job.waitUntilFinished(events, 20_000);
    const row = (await loadEnas6Table()).byArch.get(IN_TABLE);
    assert.ok(row);
    assert.equal(result.validationAccuracy, 73.02);
    assert.ok(Math.abs(result.validationAccuracy - row.wsAcc * 100) < 1e-9);
    assert.equal(result.testAccuracy, null);
    const stored = await database.db.evaluation.findFirstOrThrow({
      where: { architectureId: trial.architectureId },
    });
    assert.equal(stored.testAccuracy, null);
    assert.deepEqual(stored.metrics, { line: 1, split: "burn_in", source: "enas-6-table" });
  });

  test("a cell outside the table fails once, naming the cell and the table", async () => {
    const { trial, payload } = await proposeTrial(NOT_IN_TABLE);
    const job = await add(payload, `trial-${trial.id}`);
    await assert.rejects(job.waitUntilFinished(events, 20_000), (error: Error) => {
      assert.ok(error.message.includes(NOT_IN_TABLE), error.message);
      assert.ok(error.message.includes(DEFAULT_ENAS6_TABLE_PATH), error.message);
      return true;
    });
    const failed = await redis.queues.byName.evaluations.getJob(`trial-${trial.id}`);
    assert.equal(failed?.attemptsMade, 1, "no retry");
    assert.equal(
      await database.db.evaluation.count({ where: { architectureId: trial.architectureId } }),
      0,
    );
  });

  test("an evaluator that cannot score the job's space fails once, saying so", async () => {
    // Its own fingerprint: no result of it is cached, so the evaluator has to be built.
    const nb201 = { kind: "nas-bench-201", dataset: "cifar10" } as const;
    const { trial, payload } = await proposeTrial(
      IN_TABLE,
      nb201,
      await evaluatorFingerprint(nb201),
    );
    const job = await add(payload, `trial-${trial.id}-mismatch`);
    await assert.rejects(
      job.waitUntilFinished(events, 20_000),
      /evaluator "nas-bench-201" cannot score search space "enas-macro-6"/,
    );
    const failed = await redis.queues.byName.evaluations.getJob(`trial-${trial.id}-mismatch`);
    assert.equal(failed?.attemptsMade, 1, "no retry");
  });

  test("a train evaluator builds the ENAS network of the job's space", async () => {
    // One epoch of a 4-channel network on 32 generated images: seconds on WebAssembly.
    const train = validateEvaluatorSpec({
      kind: "train",
      dataset: "synthetic-shapes",
      epochs: 1,
      channels: 4,
      batchSize: 32,
      trainSamples: 32,
      augment: false,
    });
    const { trial, payload } = await proposeTrial(
      IN_TABLE,
      train,
      await evaluatorFingerprint(train),
    );
    const job = await add(payload, `trial-${trial.id}-train`);
    const result = await job.waitUntilFinished(events, 120_000);
    const cost = enasNetworkCost(space.parse(IN_TABLE), {
      channels: 4,
      classes: 10,
      imageSize: 32,
    });
    assert.deepEqual([result.flops, result.params], [cost.flops, cost.params]);
    assert.equal(typeof result.testAccuracy, "number");
  });
});
