// Fault: the only worker is killed (SIGKILL) in the middle of a training evaluation, after it
// saved at least one checkpoint (CHECKPOINT_EVERY_EPOCHS=1); a new worker is started.
// Asserts: the job is recovered (stalled check), the new worker resumes from the checkpoint
// instead of epoch 1 (at most one epoch is trained twice: the one the kill interrupted), the
// evaluation is recorded once with every epoch of the run, the learning curve has one row per
// epoch, and the checkpoint file is deleted afterwards (docs/reliability.md).
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { entryPoints } from "../../scripts/lib/local-stack.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";
import { logLines, reportOutput, waitFor, waitForCampaigns } from "./support/faults.ts";

const EPOCHS = 4;
/** A tiny network on 256 generated images: a few seconds an epoch on two shared cores. */
const evaluator = {
  kind: "train",
  dataset: "synthetic-shapes",
  epochs: EPOCHS,
  trainSamples: 256,
  cellsPerStage: 1,
  channels: 4,
};
const ARCH_TRAINED = "evaluation started";

describe("a worker killed in the middle of a training evaluation", () => {
  let env: TestStack;
  const checkpointDir = mkdtempSync(join(tmpdir(), "nasvae-fault-checkpoints-"));
  const checkpointFiles = () => readdirSync(checkpointDir);

  before(async () => {
    env = await startTestStack("faults-checkpoint", 1, {
      CHECKPOINT_DIR: checkpointDir,
      CHECKPOINT_EVERY_EPOCHS: "1",
      LOCK_DURATION_MS: "5000",
      STALLED_INTERVAL_MS: "1000",
    });
  });
  after(async (context) => {
    reportOutput(env, context.signal.aborted || Boolean(process.exitCode));
    await env?.stop();
    rmSync(checkpointDir, { recursive: true, force: true });
  });

  test("the new worker resumes from the last checkpoint; one result; the file is deleted", async () => {
    const response = await fetch(`${env.base}/campaigns`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${env.apiKey}` },
      body: JSON.stringify({
        name: "faults checkpoint",
        searchSpace: "nas-bench-201",
        evaluator,
        strategy: { kind: "random" },
        budget: { evaluations: 1, perRound: 1 },
        seed: 5,
      }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    const { id } = (await response.json()) as { id: string };

    // worker-1 trains; once a checkpoint is on disk (and before the last epoch), it dies.
    await waitFor(
      "worker-1 to save a checkpoint",
      async () => checkpointFiles().some((f) => f.endsWith(".ckpt")),
      180_000,
      () => env.output.slice(-30).join("\n"),
      50,
    );
    const worker1 = env.stack.processes.find((p) => p.name === "worker-1");
    assert.ok(worker1);
    worker1.child.kill("SIGKILL");
    await worker1.exited;
    const { db } = env.database;
    const epochsBeforeKill = logLines(env, "epoch finished").filter(
      (l) => l.process === "worker-1",
    );
    const lastBeforeKill = Math.max(...epochsBeforeKill.map((l) => l.line.epoch as number));
    assert.ok(lastBeforeKill >= 1 && lastBeforeKill < EPOCHS, `killed after ${lastBeforeKill}`);
    assert.equal(await db.evaluation.count(), 0, "nothing recorded before the kill");

    env.stack.spawn("worker-2", entryPoints.worker, { WORKER_NAME: "worker-2" });
    await waitForCampaigns(env, [id], 240_000);

    const campaign = await db.campaign.findUniqueOrThrow({ where: { id } });
    assert.equal(campaign.status, "completed", campaign.error ?? "");
    const trials = await db.trial.findMany({ where: { campaignId: id } });
    assert.equal(trials.length, 1);
    const [trial] = trials;
    assert.ok(trial);
    assert.equal(trial.status, "completed");

    // Exactly one result, by the new worker, reporting every epoch of the run.
    const evaluations = await db.evaluation.findMany();
    assert.equal(evaluations.length, 1);
    assert.equal(evaluations[0]?.worker, "worker-2");
    assert.equal(evaluations[0]?.epochs, EPOCHS);
    assert.equal(evaluations[0]?.stoppedEarly, false);

    // The new worker resumed after a checkpointed epoch of worker-1's run...
    const resumed = logLines(env, "training resumed from checkpoint");
    assert.equal(resumed.length, 1, "resumed once");
    assert.equal(resumed[0]?.process, "worker-2");
    const resumedAfter = resumed[0]?.line.epoch as number;
    assert.ok(resumedAfter >= 1 && resumedAfter <= lastBeforeKill, `resumed after ${resumedAfter}`);
    // ...so it trained only the epochs after it: at most one epoch ran twice.
    const epochs2 = logLines(env, "epoch finished")
      .filter((l) => l.process === "worker-2")
      .map((l) => l.line.epoch as number);
    assert.deepEqual(
      epochs2,
      Array.from({ length: EPOCHS - resumedAfter }, (_, i) => resumedAfter + 1 + i),
    );
    const trainedTwice = epochsBeforeKill.filter((l) => epochs2.includes(l.line.epoch as number));
    assert.ok(trainedTwice.length <= 1, `${trainedTwice.length} epochs trained twice`);
    assert.equal(
      logLines(env, ARCH_TRAINED).filter((l) => l.process === "worker-2").length,
      1,
      "worker-2 started the evaluation once",
    );

    // One learning-curve row per epoch; those before the resume are still worker-1's.
    const points = await db.learningCurvePoint.findMany({
      where: { architectureId: trial.architectureId },
      orderBy: { epoch: "asc" },
    });
    assert.deepEqual(
      points.map((p) => [p.epoch, p.worker]),
      Array.from({ length: EPOCHS }, (_, i) => [
        i + 1,
        i + 1 <= resumedAfter ? "worker-1" : "worker-2",
      ]),
    );

    // The checkpoint (and no temporary file) is left behind.
    assert.deepEqual(checkpointFiles(), []);
  });
});
