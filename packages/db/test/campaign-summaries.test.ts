import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { campaignSummaries, createCampaign, createRound, recordEvaluation } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

describe("campaignSummaries", () => {
  let database: TestDatabase;

  before(async () => {
    database = await createTestDatabase("summaries");
  });
  after(async () => {
    await database.drop();
  });

  test("counts trials, rounds and snapshots of each campaign separately, in grouped queries", async () => {
    const { db } = database;
    const newCampaign = (name: string) =>
      createCampaign(db, {
        name,
        searchSpace: "nas-bench-201",
        evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
        evaluatorFingerprint: "fp",
        strategy: { kind: "graph-vae" },
        budgetEvaluations: 10,
        roundSize: 3,
        seed: 1,
      });
    const busy = await newCampaign("busy");
    const idle = await newCampaign("idle");
    for (const index of [0, 1]) {
      const round = await createRound(db, {
        campaignId: busy.id,
        index,
        strategy: "graph-vae",
        searchSpace: "nas-bench-201",
        evaluatorFingerprint: "fp",
        candidates: [0, 1, 2].map((i) => ({
          archString: `r${index}-${i}`,
          canonicalHash: `r${index}-${i}`,
        })),
      });
      await db.modelSnapshot.create({
        data: {
          campaignId: busy.id,
          roundId: round.id,
          roundIndex: index,
          strategy: "graph-vae",
          backend: "wasm",
          state: Buffer.from([1, 2, 3]),
          sizeBytes: 100 + index,
        },
      });
      const [first, second] = round.trials;
      assert.ok(first && second);
      await recordEvaluation(db, {
        trialId: first.id,
        architectureId: first.architectureId,
        evaluatorFingerprint: "fp",
        evaluator: {},
        result: { validationAccuracy: 90, testAccuracy: 90, flops: 1, params: 1 },
        worker: "w",
        durationMs: 1,
      });
      await db.trial.update({ where: { id: second.id }, data: { status: "failed" } });
    }

    const summaries = await campaignSummaries(db, [busy.id, idle.id]);
    assert.deepEqual(summaries.get(busy.id), {
      progress: { completed: 2, pending: 2, failed: 2, cached: 0 },
      rounds: 2,
      model: { strategy: "graph-vae", backend: "wasm", snapshots: 2, lastRound: 1, sizeBytes: 101 },
    });
    assert.deepEqual(summaries.get(idle.id), {
      progress: { completed: 0, pending: 0, failed: 0, cached: 0 },
      rounds: 0,
      model: null,
    });
    assert.equal((await campaignSummaries(db, [])).size, 0);
  });
});
