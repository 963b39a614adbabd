// A worker whose tensor backend runs out of memory (docs/training.md, "Memory"): the job that hit
// it fails (an attempt spent, so it is retried elsewhere), the worker takes no other job, says
// not ready, and asks its process to exit so that it is replaced.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createLogger } from "@nasvae/config";
import { validateEvaluatorSpec } from "@nasvae/contracts";
import { createRound } from "@nasvae/db";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { type Evaluator, evaluatorFingerprint } from "@nasvae/evaluators";
import { evaluateJob } from "@nasvae/jobs";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import { nasBench201SearchSpace as space } from "@nasvae/search-space";
import { isBackendOutOfMemory } from "../src/backend-failure.ts";
import { EvaluationWorker } from "../src/evaluation-worker.ts";

/** WebAssembly's error class (the project's TypeScript libs do not declare it). */
const { RuntimeError } = (
  globalThis as unknown as { WebAssembly: { RuntimeError: ErrorConstructor } }
).WebAssembly;

/** What the WebAssembly backend throws once its module aborted (seen on tfjs 4.22.0). */
const wasmAborted = () => new RuntimeError("Aborted(). Build with -sASSERTIONS for more info.");

describe("isBackendOutOfMemory", () => {
  test("knows the backends' out-of-memory errors, and nothing else", () => {
    for (const error of [
      wasmAborted(),
      new Error("Aborted(Cannot enlarge memory arrays to size 4294967296 bytes (OOM).)"),
      new RangeError("Array buffer allocation failed"),
      new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded"),
      new Error("OOM when allocating tensor with shape[4096,512,32,32] and type float"),
      new Error("Out of memory"),
    ]) {
      assert.equal(isBackendOutOfMemory(error), true, error.message);
    }
    for (const error of [
      new Error("dataset cifar10: missing data_batch_1.bin"),
      new RuntimeError("memory access out of bounds"),
      new Error("connect ECONNREFUSED 127.0.0.1:5432"),
      "Aborted()",
      undefined,
    ]) {
      assert.equal(isBackendOutOfMemory(error), false, String(error));
    }
  });
});

describe("evaluation worker, backend out of memory", () => {
  let database: TestDatabase;
  let redis: TestQueues;

  before(async () => {
    database = await createTestDatabase("worker_backend_oom");
    redis = await createTestQueues("worker-backend-oom");
  });
  after(async () => {
    await redis.cleanup();
    await database.drop();
  });

  test("the job fails, no other job is taken, not ready, and onBackendFailure is called", {
    timeout: 60_000,
  }, async () => {
    const evaluator = validateEvaluatorSpec({ kind: "nas-bench-201", dataset: "cifar10" });
    const fingerprint = await evaluatorFingerprint(evaluator);
    const campaign = await database.db.campaign.create({
      data: {
        name: "out of memory",
        searchSpace: "nas-bench-201",
        evaluator: { ...evaluator },
        evaluatorFingerprint: fingerprint,
        strategy: { kind: "random" },
        budgetEvaluations: 2,
        roundSize: 2,
        seed: 1,
        status: "running",
      },
    });
    const archs = [
      "|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|skip_connect~0|none~1|avg_pool_3x3~2|",
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|",
    ];
    const round = await createRound(database.db, {
      campaignId: campaign.id,
      index: 0,
      strategy: "random",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: fingerprint,
      candidates: archs.map((archString) => ({
        archString,
        canonicalHash: space.canonicalHash(space.parse(archString)),
      })),
    });

    let failed: (error: Error) => void = () => {};
    const backendFailure = new Promise<Error>((resolve) => {
      failed = resolve;
    });
    const worker = new EvaluationWorker({
      db: database.db,
      connection: redis.connection,
      prefix: redis.prefix,
      name: "oom-worker",
      log: createLogger("worker", "silent"),
      onBackendFailure: (error) => failed(error),
    });
    // The backend's failure is stood in for (a real one takes gigabytes): every evaluation this
    // worker runs throws what an aborted WebAssembly module throws. All else is real.
    const evaluations: string[] = [];
    const failing: Evaluator = {
      evaluate: async (archString) => {
        evaluations.push(archString);
        throw wasmAborted();
      },
      fingerprint: async () => fingerprint,
    };
    (worker as unknown as { evaluators: { get(): Evaluator } }).evaluators.get = () => failing;
    assert.deepEqual(worker.readiness(), { ready: true });
    worker.start();

    const jobs = [];
    for (const trial of round.trials) {
      jobs.push(
        await redis.queues.byName.evaluations.add(
          evaluateJob.name,
          {
            campaignId: campaign.id,
            roundId: round.id,
            trialId: trial.id,
            architectureId: trial.architectureId,
            searchSpace: "nas-bench-201",
            archString: trial.archString,
            evaluator: { ...evaluator },
            evaluatorFingerprint: fingerprint,
          },
          { ...evaluateJob.options, jobId: `trial-${trial.id}` },
        ),
      );
    }
    const error = await backendFailure;
    assert.match(error.message, /^Aborted\(/);
    assert.equal(worker.readiness().ready, false);
    assert.match(worker.readiness().reason ?? "", /tensor backend out of memory: Aborted\(/);
    // One evaluation ran; its job failed an attempt (retried later, by another worker); the
    // other job was never taken.
    assert.equal(evaluations.length, 1);
    const states = await Promise.all(
      jobs.map(async (job) => {
        const fresh = await redis.queues.byName.evaluations.getJob(job.id ?? "");
        return { state: await fresh?.getState(), attempts: fresh?.attemptsMade };
      }),
    );
    const ran = states.filter((s) => s.attempts === 1);
    assert.equal(ran.length, 1, JSON.stringify(states));
    assert.ok(["delayed", "waiting"].includes(ran[0]?.state ?? ""), JSON.stringify(states));
    const untouched = states.filter((s) => s.attempts === 0);
    assert.deepEqual(untouched, [{ state: "waiting", attempts: 0 }]);
    assert.equal(await database.db.evaluation.count(), 0);
    await worker.close();
  });
});
