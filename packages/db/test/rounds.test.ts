import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type Candidate, createCampaign, createRound, recordEvaluation } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

// createRound writes a round, its architectures, trials and snapshot in one SQL statement; these
// tests hold it to what the interactive transaction it replaced guaranteed.
describe("createRound", () => {
  let database: TestDatabase;
  const fingerprint = "rounds-test-evaluator";

  before(async () => {
    database = await createTestDatabase("rounds");
  });
  after(async () => {
    await database.drop();
  });

  const newCampaign = (name: string) =>
    createCampaign(database.db, {
      name,
      searchSpace: "nas-bench-201",
      evaluator: { kind: "test" },
      evaluatorFingerprint: fingerprint,
      strategy: { kind: "random" },
      budgetEvaluations: 10,
      roundSize: 5,
      seed: 1,
    });
  const candidate = (hash: string): Candidate => ({
    archString: `arch-${hash}`,
    canonicalHash: hash,
    prediction: { accuracy: 50, flops: 1 },
  });

  test("rounds of many campaigns over shared classes: one architecture per class, trials in candidate order", async () => {
    const campaigns = await Promise.all(Array.from({ length: 12 }, (_, i) => newCampaign(`c${i}`)));
    // Each round proposes 6 of 10 shared classes, in its own order.
    const classes = Array.from({ length: 10 }, (_, i) => `shared-${i}`);
    const proposals = campaigns.map((_, i) =>
      Array.from({ length: 6 }, (_, k) => classes[(i * 3 + k * 7) % 10] as string),
    );
    const rounds = await Promise.all(
      campaigns.map((campaign, i) =>
        createRound(database.db, {
          campaignId: campaign.id,
          index: 0,
          strategy: "random",
          searchSpace: "nas-bench-201",
          evaluatorFingerprint: fingerprint,
          candidates: (proposals[i] as string[]).map(candidate),
          snapshot: { strategy: "random", backend: "none", state: new Uint8Array([i, 1, 2, 3]) },
        }),
      ),
    );
    const stored = await database.db.architecture.findMany({
      where: { canonicalHash: { startsWith: "shared-" } },
    });
    assert.equal(stored.length, new Set(proposals.flat()).size, "one row per class");
    const idOf = new Map(stored.map((a) => [a.canonicalHash, a.id]));
    rounds.forEach((round, i) => {
      const proposal = proposals[i] as string[];
      assert.equal(round.proposed, proposal.length);
      assert.deepEqual(
        round.trials.map((t) => t.architectureId),
        proposal.map((hash) => idOf.get(hash)),
        "trials come back in candidate order",
      );
      assert.deepEqual(
        round.trials.map((t) => t.archString),
        proposal.map((hash) => `arch-${hash}`),
      );
      assert.ok(round.trials.every((t) => t.status === "pending" && !t.cached));
    });
    const snapshots = await database.db.modelSnapshot.findMany({
      where: { roundId: { in: rounds.map((r) => r.id) } },
    });
    assert.equal(snapshots.length, rounds.length);
    for (const snapshot of snapshots) {
      const index = rounds.findIndex((r) => r.id === snapshot.roundId);
      assert.deepEqual([...snapshot.state], [index, 1, 2, 3], "snapshot bytes kept");
      assert.equal(snapshot.sizeBytes, 4);
    }
  });

  test("a candidate with a known result is a completed, cached trial at once", async () => {
    const first = await newCampaign("known-1");
    const round = await createRound(database.db, {
      campaignId: first.id,
      index: 0,
      strategy: "random",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: fingerprint,
      candidates: [candidate("known-a"), candidate("known-b")],
    });
    const trial = round.trials[0];
    assert.ok(trial);
    const { evaluation } = await recordEvaluation(database.db, {
      trialId: trial.id,
      architectureId: trial.architectureId,
      evaluatorFingerprint: fingerprint,
      evaluator: { kind: "test" },
      result: { validationAccuracy: 70, testAccuracy: 69, flops: 1, params: 2 },
      worker: "test",
      durationMs: 1,
    });

    const second = await newCampaign("known-2");
    const next = await createRound(database.db, {
      campaignId: second.id,
      index: 0,
      strategy: "random",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: fingerprint,
      candidates: [candidate("known-b"), candidate("known-a")],
    });
    const [pending, cached] = next.trials;
    assert.equal(pending?.status, "pending");
    assert.equal(pending?.evaluationId, null);
    assert.equal(cached?.status, "completed");
    assert.equal(cached?.cached, true);
    assert.equal(cached?.evaluationId, evaluation.id);
    assert.ok(cached?.finishedAt instanceof Date);
  });

  test("a repeated round index is refused with nothing written; an empty round is written", async () => {
    const campaign = await newCampaign("repeat");
    const base = {
      campaignId: campaign.id,
      strategy: "random",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: fingerprint,
    };
    await createRound(database.db, { ...base, index: 0, candidates: [candidate("repeat-a")] });
    await assert.rejects(
      createRound(database.db, {
        ...base,
        index: 0,
        candidates: [candidate("repeat-b")],
        snapshot: { strategy: "random", state: new Uint8Array([1]) },
      }),
    );
    assert.equal(await database.db.round.count({ where: { campaignId: campaign.id } }), 1);
    assert.equal(await database.db.trial.count({ where: { campaignId: campaign.id } }), 1);
    assert.equal(
      await database.db.architecture.count({ where: { canonicalHash: "repeat-b" } }),
      0,
      "the refused statement stored no architecture",
    );
    assert.equal(await database.db.modelSnapshot.count({ where: { campaignId: campaign.id } }), 0);

    const empty = await createRound(database.db, { ...base, index: 1, candidates: [] });
    assert.equal(empty.index, 1);
    assert.equal(empty.proposed, 0);
    assert.deepEqual(empty.trials, []);
  });

  test("two candidates of one class are refused before anything is written", async () => {
    const campaign = await newCampaign("twice");
    await assert.rejects(
      createRound(database.db, {
        campaignId: campaign.id,
        index: 0,
        strategy: "random",
        searchSpace: "nas-bench-201",
        evaluatorFingerprint: fingerprint,
        candidates: [candidate("twice-a"), candidate("twice-a")],
      }),
      /same isomorphism class/,
    );
    assert.equal(await database.db.round.count({ where: { campaignId: campaign.id } }), 0);
  });
});
