// Fault: the same evaluation delivered twice at the same time: the same evaluate job run by two
// workers at once (as after a stall, when the first run was still alive), the same payload queued
// under two jobIds, and the same architecture asked for by two campaigns at once. Evaluations are
// held (evaluationDelayMs) so that both runs are past the "already recorded?" check before either
// records: the database's unique (architecture, evaluator fingerprint) decides.
// Asserts: at-least-once execution (both runs evaluate), exactly-once recording (one evaluation
// row; every trial completed and pointing to it; one run reports it inserted, the other cached).
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { evaluateJob } from "@nasvae/jobs";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import type { Job } from "bullmq";
import { pino } from "pino";
import { EvaluationWorker } from "../../apps/worker/src/evaluation-worker.ts";
import { distinctArchitectures, type EvaluatePayload, proposeTrials } from "./support/faults.ts";

describe("the same evaluation delivered twice at once", () => {
  let database: TestDatabase;
  let redis: TestQueues;
  const lines: { msg: string; worker: string; trialId?: string }[] = [];
  const architectures = distinctArchitectures(4, 61);

  /** A worker of this process (not started: its processor is called directly, or started). */
  function worker(name: string): EvaluationWorker {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) {
          const { msg, trialId } = JSON.parse(line) as { msg: string; trialId?: string };
          lines.push({ msg, worker: name, ...(trialId ? { trialId } : {}) });
        }
        done();
      },
    });
    return new EvaluationWorker({
      db: database.db,
      connection: redis.connection,
      prefix: redis.prefix,
      name,
      log: pino({ level: "info" }, sink),
      evaluationDelayMs: 300,
    });
  }

  /** A job as BullMQ hands it to the processor (what the processor reads of it). */
  function delivery(payload: EvaluatePayload, id = `trial-${payload.trialId}`): Job {
    return { id, queueName: evaluateJob.queue, data: payload } as unknown as Job;
  }

  const starts = (trialId: string) =>
    lines.filter((l) => l.msg === "evaluation started" && l.trialId === trialId).length;

  before(async () => {
    database = await createTestDatabase("faults_dup");
    redis = await createTestQueues("faults-dup");
  });
  after(async () => {
    await redis.cleanup();
    await database.drop();
  });

  test("one job run by two workers at once: both evaluate, one row", async () => {
    const [payload] = await proposeTrials(database.db, [architectures[0] ?? ""]);
    assert.ok(payload);
    const [first, second] = await Promise.all([
      worker("worker-a").process(delivery(payload)),
      worker("worker-b").process(delivery(payload)),
    ]);
    assert.equal(starts(payload.trialId), 2, "both runs evaluated (at least once)");
    assert.equal(first.evaluationId, second.evaluationId);
    assert.deepEqual([first.cached, second.cached].sort(), [false, true], "one inserted");
    const { db } = database;
    assert.equal(
      await db.evaluation.count({ where: { architectureId: payload.architectureId } }),
      1,
    );
    const trial = await db.trial.findUniqueOrThrow({ where: { id: payload.trialId } });
    assert.equal(trial.status, "completed");
    assert.equal(trial.evaluationId, first.evaluationId);
  });

  test("two campaigns asking for one architecture at once: one row for both trials", async () => {
    const arch = architectures[1] ?? "";
    const [a] = await proposeTrials(database.db, [arch]);
    const [b] = await proposeTrials(database.db, [arch]);
    assert.ok(a && b);
    assert.equal(a.architectureId, b.architectureId);
    const results = await Promise.all([
      worker("worker-a").process(delivery(a)),
      worker("worker-b").process(delivery(b)),
    ]);
    assert.equal(results[0].evaluationId, results[1].evaluationId);
    const { db } = database;
    assert.equal(await db.evaluation.count({ where: { architectureId: a.architectureId } }), 1);
    const trials = await db.trial.findMany({ where: { id: { in: [a.trialId, b.trialId] } } });
    assert.deepEqual(
      trials.map((t) => [t.status, t.evaluationId]),
      trials.map(() => ["completed", results[0].evaluationId]),
    );
  });

  test("the same payload queued under two jobIds, two workers: both jobs complete, one row", async () => {
    const [payload] = await proposeTrials(database.db, [architectures[2] ?? ""]);
    assert.ok(payload);
    const workers = [worker("worker-a"), worker("worker-b")];
    for (const w of workers) w.start();
    const events = await redis.queueEvents(evaluateJob.queue);
    try {
      const queue = redis.queues.byName.evaluations;
      const jobs = await Promise.all(
        [`trial-${payload.trialId}`, `trial-${payload.trialId}-again`].map((jobId) =>
          queue.add(evaluateJob.name, payload, { ...evaluateJob.options, jobId }),
        ),
      );
      const results = await Promise.all(jobs.map((job) => job.waitUntilFinished(events, 20_000)));
      assert.equal(results[0].evaluationId, results[1].evaluationId);
      assert.equal(
        await database.db.evaluation.count({ where: { architectureId: payload.architectureId } }),
        1,
      );
      assert.ok(starts(payload.trialId) >= 1);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
  });
});
