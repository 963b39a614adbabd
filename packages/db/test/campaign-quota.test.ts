import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createCampaignWithinQuota, createRound, findCampaign } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

describe("createCampaignWithinQuota (one call of create_campaign_within_quota)", () => {
  let database: TestDatabase;

  before(async () => {
    database = await createTestDatabase("campaign_quota");
  });
  after(async () => {
    await database.drop();
  });

  const spec = (ownerKeyHash: string, budgetEvaluations: number) => ({
    ownerKeyHash,
    name: `budget ${budgetEvaluations}`,
    searchSpace: "nas-bench-201",
    evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
    evaluatorFingerprint: "fp",
    strategy: { kind: "random" },
    budgetEvaluations,
    roundSize: 10,
    seed: 7,
  });

  test("returns the row it inserted, as a read of it gives it", async () => {
    const created = await createCampaignWithinQuota(database.db, spec("owner-row", 5), {
      maxActiveCampaigns: 1,
      maxPendingEvaluations: 5,
    });
    assert.ok("campaign" in created);
    assert.deepEqual(created.campaign, await findCampaign(database.db, created.campaign.id));
  });

  test("counts completed trials only when the budgets alone do not fit the cap", async () => {
    const { db } = database;
    const quota = { maxActiveCampaigns: 10, maxPendingEvaluations: 20 };
    const first = await createCampaignWithinQuota(db, spec("owner-pending", 20), quota);
    assert.ok("campaign" in first);
    // 20 budgeted, none recorded: nothing more fits.
    const full = await createCampaignWithinQuota(db, spec("owner-pending", 1), quota);
    assert.deepEqual(full, {
      refused: { limit: "MAX_PENDING_EVALUATIONS_PER_KEY", max: 20, current: 20, requested: 1 },
    });
    // Record 12 of its 20: 8 pending, so 12 more fit (the budgets' sum, 32, would not).
    const round = await createRound(db, {
      campaignId: first.campaign.id,
      index: 0,
      strategy: "random",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: "fp",
      candidates: Array.from({ length: 12 }, (_, i) => ({
        archString: `quota-${i}`,
        canonicalHash: `quota-${i}`,
      })),
    });
    await db.trial.updateMany({
      where: { id: { in: round.trials.map((t) => t.id) } },
      data: { status: "completed" },
    });
    const over = await createCampaignWithinQuota(db, spec("owner-pending", 13), quota);
    assert.deepEqual(over, {
      refused: { limit: "MAX_PENDING_EVALUATIONS_PER_KEY", max: 20, current: 8, requested: 13 },
    });
    const fits = await createCampaignWithinQuota(db, spec("owner-pending", 12), quota);
    assert.ok("campaign" in fits, JSON.stringify(fits));
    // Another key has its own allowance; ended campaigns count against none.
    assert.ok("campaign" in (await createCampaignWithinQuota(db, spec("owner-other", 20), quota)));
    await db.campaign.updateMany({
      where: { ownerKeyHash: "owner-pending" },
      data: { status: "completed" },
    });
    assert.ok(
      "campaign" in (await createCampaignWithinQuota(db, spec("owner-pending", 20), quota)),
    );
  });

  test("active campaigns: the cap counts queued, running and paused ones", async () => {
    const { db } = database;
    const quota = { maxActiveCampaigns: 2, maxPendingEvaluations: 1000 };
    for (let i = 0; i < 2; i++) {
      assert.ok(
        "campaign" in (await createCampaignWithinQuota(db, spec("owner-active", 1), quota)),
      );
    }
    await db.campaign.updateMany({
      where: { ownerKeyHash: "owner-active" },
      data: { status: "paused" },
    });
    assert.deepEqual(await createCampaignWithinQuota(db, spec("owner-active", 1), quota), {
      refused: { limit: "MAX_ACTIVE_CAMPAIGNS_PER_KEY", max: 2, current: 2, requested: 1 },
    });
  });
});
