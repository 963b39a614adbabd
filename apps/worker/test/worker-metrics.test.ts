// The worker's metrics, in-process on the real Postgres: every evaluate job is observed once,
// by outcome, with labels from its validated evaluator spec.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createLogger } from "@nasvae/config";
import { createRound } from "@nasvae/db";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { evaluatorFingerprint } from "@nasvae/evaluators";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import { sumSamples } from "@nasvae/metrics/testing";
import { nasBench201SearchSpace as space } from "@nasvae/search-space";
import type { Job } from "bullmq";
import { EvaluationWorker } from "../src/evaluation-worker.ts";

const evaluator = { kind: "nas-bench-201", dataset: "cifar100" } as const;
const arch = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|none~1|none~2|";

function fakeJob(data: object): Job {
  return { id: `trial-${randomUUID()}`, queueName: "evaluations", data } as unknown as Job;
}

describe("worker metrics", () => {
  let database: TestDatabase;
  let redis: TestQueues;
  let worker: EvaluationWorker;
  let payload: Record<string, unknown>;

  before(async () => {
    database = await createTestDatabase("worker_metrics");
    redis = await createTestQueues("worker-metrics");
    worker = new EvaluationWorker({
      db: database.db,
      connection: redis.connection,
      prefix: redis.prefix,
      name: "metrics-worker",
      log: createLogger("worker", "silent"),
    });
    const fingerprint = await evaluatorFingerprint(evaluator);
    const campaign = await database.db.campaign.create({
      data: {
        name: "worker metrics",
        searchSpace: "nas-bench-201",
        evaluator,
        evaluatorFingerprint: fingerprint,
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
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: fingerprint,
      candidates: [{ archString: arch, canonicalHash: space.canonicalHash(space.parse(arch)) }],
    });
    const [trial] = round.trials;
    assert.ok(trial);
    payload = {
      campaignId: campaign.id,
      roundId: round.id,
      trialId: trial.id,
      architectureId: trial.architectureId,
      searchSpace: "nas-bench-201",
      archString: arch,
      evaluator: { ...evaluator },
      evaluatorFingerprint: fingerprint,
    };
  });
  after(async () => {
    await worker.close();
    await redis.cleanup();
    await database.drop();
  });

  async function observed(labels: Record<string, string>): Promise<number> {
    const text = await worker.metrics.registry.metrics();
    return sumSamples(text, "nasvae_evaluation_duration_seconds_count", labels);
  }

  test("a computed evaluation, then its redelivery, count as completed and cached", async () => {
    const labels = { evaluator: "nas-bench-201", dataset: "cifar100" };
    const first = await worker.process(fakeJob(payload));
    assert.equal(first.cached, false);
    const again = await worker.process(fakeJob(payload));
    assert.equal(again.cached, true);
    assert.equal(await observed({ ...labels, outcome: "completed" }), 1);
    assert.equal(await observed({ ...labels, outcome: "cached" }), 1);
    const text = await worker.metrics.registry.metrics();
    assert.equal(sumSamples(text, "nasvae_evaluations_in_progress"), 0);
  });

  test("failures count as failed: with the spec's labels, or unknown for a malformed payload", async () => {
    await assert.rejects(worker.process(fakeJob({ ...payload, trialId: randomUUID() })));
    assert.equal(
      await observed({ evaluator: "nas-bench-201", dataset: "cifar100", outcome: "failed" }),
      1,
    );
    await assert.rejects(worker.process(fakeJob({ trialId: "nope" })), /invalid evaluate payload/);
    await assert.rejects(
      worker.process(fakeJob({ ...payload, evaluator: { kind: "train", dataset: "x" } })),
    );
    assert.equal(
      await observed({ evaluator: "unknown", dataset: "unknown", outcome: "failed" }),
      2,
    );
    const text = await worker.metrics.registry.metrics();
    assert.equal(sumSamples(text, "nasvae_evaluations_in_progress"), 0);
  });
});
