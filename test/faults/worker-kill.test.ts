// Fault: a worker is killed (SIGKILL) in the middle of an evaluation. Evaluations are held for a
// second each (EVALUATION_DELAY_MS, a stand-in for training), so that the kill lands inside one;
// the job locks are short (LOCK_DURATION_MS, STALLED_INTERVAL_MS) so that recovery is quick.
// Asserts: BullMQ's stalled-job check gives the dead worker's job back to the queue, another
// worker evaluates and records it, the campaign completes with exactly its budget, and every
// architecture has exactly one evaluation row (nothing lost, nothing recorded twice).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startTestStack, type TestStack } from "../support/test-stack.ts";
import {
  assertNothingLost,
  logLines,
  postCampaign,
  reportOutput,
  sleep,
  waitFor,
  waitForCampaigns,
} from "./support/faults.ts";

const spec = { strategy: { kind: "random" as const }, budget: 24, perRound: 6, seed: 31 };

describe("a worker killed in the middle of an evaluation", () => {
  let env: TestStack;

  before(async () => {
    env = await startTestStack("faults-worker", 3, {
      EVALUATION_DELAY_MS: "1500",
      LOCK_DURATION_MS: "5000",
      STALLED_INTERVAL_MS: "1000",
    });
  });
  after(async (context) => {
    reportOutput(env, context.signal.aborted || Boolean(process.exitCode));
    await env?.stop();
  });

  test("its job is recovered as stalled and evaluated once more, elsewhere; one row per architecture", async () => {
    const id = await postCampaign(env, spec);

    // worker-1 starts an evaluation; half-way through it, it dies.
    const started = await waitFor(
      "worker-1 to start an evaluation",
      async () => logLines(env, "evaluation started").find((l) => l.process === "worker-1"),
      60_000,
      () => env.output.slice(-30).join("\n"),
      20,
    );
    const trialId = started.line.trialId as string;
    await sleep(500);
    const worker = env.stack.processes.find((p) => p.name === "worker-1");
    assert.ok(worker);
    worker.child.kill("SIGKILL");
    await worker.exited;
    const { db } = env.database;
    const atKill = await db.trial.findUniqueOrThrow({ where: { id: trialId } });
    assert.equal(atKill.status, "pending", "the killed evaluation was not recorded");

    await waitForCampaigns(env, [id], 75_000);
    await assertNothingLost(env, [{ id, budget: spec.budget }]);

    // The interrupted trial: evaluated again by a surviving worker, recorded once.
    const trial = await db.trial.findUniqueOrThrow({
      where: { id: trialId },
      include: { evaluation: true },
    });
    assert.equal(trial.status, "completed");
    assert.ok(
      ["worker-2", "worker-3"].includes(trial.evaluation?.worker ?? ""),
      `recorded by ${trial.evaluation?.worker}`,
    );
    assert.equal(await db.evaluation.count({ where: { architectureId: trial.architectureId } }), 1);
    const job = await env.redis.queues.byName.evaluations.getJob(`trial-${trialId}`);
    assert.equal(await job?.getState(), "completed");
    assert.equal(job?.stalledCounter, 1, "recovered by the stalled-job check");
    // Completed at its first attempt: the crash did not count as one (only as a start).
    assert.equal(job?.attemptsMade, 1);
    assert.equal(job?.attemptsStarted, 2);
    const runs = logLines(env, "evaluation started").filter((l) => l.line.trialId === trialId);
    assert.deepEqual(
      runs.map((r) => r.process).sort(),
      ["worker-1", trial.evaluation?.worker].sort(),
      "started twice: on the dead worker, then on the one that recorded it",
    );
  });
});
