// Fault: a worker process is told to stop (SIGTERM) in the middle of an evaluation, as a deploy
// or a scale-down does; worker processes only, on jobs enqueued by the test. Evaluations are held
// (EVALUATION_DELAY_MS) so that the signal lands inside one.
// Asserts: after SIGTERM the running evaluation finishes and is recorded, no new job is taken,
// and the process exits 0; a second SIGTERM exits at once (1), and so does a shutdown that
// outlasts SHUTDOWN_TIMEOUT_MS; the evaluations those two abandoned are recovered by another
// worker (stalled-job check) and recorded once. Nothing lost, nothing recorded twice.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { evaluateJob } from "@nasvae/jobs";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import { entryPoints, LocalStack, type StackProcess } from "../../scripts/lib/local-stack.ts";
import {
  distinctArchitectures,
  type EvaluatePayload,
  proposeTrials,
  waitFor,
} from "./support/faults.ts";

describe("a worker stopped in the middle of an evaluation", () => {
  let database: TestDatabase;
  let redis: TestQueues;
  let stack: LocalStack;
  const output: string[] = [];
  let payloads: EvaluatePayload[];

  before(async () => {
    database = await createTestDatabase("faults_shutdown");
    redis = await createTestQueues("faults-shutdown");
    stack = new LocalStack({
      env: {
        DATABASE_URL: database.url,
        REDIS_URL: redis.redisUrl,
        QUEUE_PREFIX: redis.prefix,
        // A dead worker's job is free again 3 s after its last lock renewal.
        LOCK_DURATION_MS: "3000",
        STALLED_INTERVAL_MS: "500",
      },
      onLine: (name, line) => output.push(`${name}: ${line}`),
    });
    payloads = await proposeTrials(database.db, distinctArchitectures(4, 71));
  });
  after(async (context) => {
    if (context.signal.aborted || process.exitCode) console.log(output.slice(-60).join("\n"));
    await stack.stop();
    await redis.cleanup();
    await database.drop();
  });

  const enqueue = (payload: EvaluatePayload) => redis.queues.add(evaluateJob, payload);
  const context = () => output.slice(-30).join("\n");

  function startWorker(name: string, env: Record<string, string>): StackProcess {
    return stack.spawn(name, entryPoints.worker, { WORKER_NAME: name, ...env });
  }

  /** The trial whose evaluation `name` has started (waits for it). */
  async function evaluationStarted(name: string): Promise<string> {
    return waitFor(
      `${name} to start an evaluation`,
      async () => {
        for (const entry of output) {
          if (!entry.startsWith(`${name}: `)) continue;
          const line = JSON.parse(entry.slice(name.length + 2)) as Record<string, unknown>;
          if (line.msg === "evaluation started") return String(line.trialId);
        }
        return undefined;
      },
      60_000,
      context,
      20,
    );
  }

  async function exitWithin(p: StackProcess, ms: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      p.exited,
      new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), ms);
      }),
    ]);
    clearTimeout(timer);
    assert.notEqual(code, "timeout", `${p.name} still running after ${ms} ms\n${context()}`);
    return code as number | null;
  }

  const trialOf = (trialId: string) =>
    database.db.trial.findUniqueOrThrow({ where: { id: trialId }, include: { evaluation: true } });

  test("SIGTERM: the running evaluation is recorded, nothing new is taken, exit 0", async () => {
    const [first, second] = payloads;
    assert.ok(first && second);
    await enqueue(first);
    await enqueue(second);
    const worker = startWorker("worker-a", { EVALUATION_DELAY_MS: "2500" });
    const trialId = await evaluationStarted("worker-a");
    assert.equal(trialId, first.trialId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const signalled = Date.now();
    worker.child.kill("SIGTERM");
    assert.equal(await exitWithin(worker, 15_000), 0, context());
    assert.ok(Date.now() - signalled >= 1500, "it waited for the evaluation to end");

    const trial = await trialOf(first.trialId);
    assert.equal(trial.status, "completed");
    assert.equal(trial.evaluation?.worker, "worker-a");
    const job = await redis.queues.byName.evaluations.getJob(`trial-${first.trialId}`);
    assert.equal(await job?.getState(), "completed", "acknowledged after it was recorded");
    // The second job was left for another worker.
    assert.equal((await trialOf(second.trialId)).status, "pending");
    assert.equal(
      await redis.queues.byName.evaluations.getJobState(`trial-${second.trialId}`),
      "waiting",
    );
  });

  test("a second SIGTERM exits at once; so does a shutdown past its timeout; another worker recovers both", async () => {
    const [, second, third] = payloads;
    assert.ok(second && third);
    // A second signal: no more waiting.
    const impatient = startWorker("worker-b", { EVALUATION_DELAY_MS: "5000" });
    assert.equal(await evaluationStarted("worker-b"), second.trialId);
    impatient.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalled = Date.now();
    impatient.child.kill("SIGTERM");
    assert.equal(await exitWithin(impatient, 3000), 1);
    assert.ok(Date.now() - signalled < 2500, "exited at once");

    // A shutdown that takes longer than SHUTDOWN_TIMEOUT_MS is cut short.
    await enqueue(third);
    const slow = startWorker("worker-c", {
      EVALUATION_DELAY_MS: "8000",
      SHUTDOWN_TIMEOUT_MS: "1000",
    });
    const abandoned = await evaluationStarted("worker-c");
    slow.child.kill("SIGTERM");
    assert.equal(await exitWithin(slow, 5000), 1);
    assert.ok(output.some((l) => l.startsWith("worker-c: ") && l.includes("shutdown timed out")));
    for (const trialId of [second.trialId, abandoned]) {
      assert.equal((await trialOf(trialId)).status, "pending", "abandoned, not recorded");
    }

    // Their locks expire; another worker's stalled check gives the jobs back, and it runs them.
    const rescuer = startWorker("worker-d", {});
    await waitFor(
      "every trial recorded",
      async () =>
        (await database.db.trial.count({ where: { status: "completed" } })) === 3 || undefined,
      45_000,
      context,
      200,
    );
    for (const payload of [second, third]) {
      const trial = await trialOf(payload.trialId);
      assert.equal(trial.evaluation?.worker, "worker-d");
      const job = await redis.queues.byName.evaluations.getJob(`trial-${payload.trialId}`);
      assert.equal(await job?.getState(), "completed");
    }
    assert.equal(await database.db.evaluation.count(), 3, "one row per architecture");
    rescuer.child.kill("SIGTERM");
    assert.equal(await exitWithin(rescuer, 15_000), 0);
  });
});
