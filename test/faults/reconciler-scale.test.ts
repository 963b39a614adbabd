// The reconciler at scale: what one pass sends to Redis must not grow with the number of pending
// trials. Counted on the client (commands, and round trips: one per command sent alone, one per
// pipeline or MULTI), never timed; bench/reconciler.ts times it at 1,000 campaigns × 20 trials.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createLogger } from "@nasvae/config";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { type ReconcileReport, Reconciler } from "@nasvae/jobs";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import { createRegistry } from "@nasvae/metrics";
import { CoordinatorMetrics } from "../../apps/coordinator/src/metrics.ts";
import {
  countRedisTraffic,
  enqueueRoundFlows,
  loseEvaluateJobs as loseJobs,
  type RedisTraffic,
  seedActiveCampaigns,
} from "../support/active-campaigns.ts";

describe("the reconciler at scale", () => {
  let database: TestDatabase;
  let redis: TestQueues;
  let reconciler: Reconciler;
  let metrics: CoordinatorMetrics;
  let counter: ReturnType<typeof countRedisTraffic>;

  before(async () => {
    database = await createTestDatabase("faults_reconciler_scale");
    redis = await createTestQueues("faults-reconciler-scale");
    metrics = new CoordinatorMetrics(createRegistry({ defaultMetrics: false }));
    reconciler = new Reconciler({
      db: database.db,
      queues: redis.queues,
      log: createLogger("coordinator", "silent"),
      intervalMs: 0,
      metrics,
    });
    counter = countRedisTraffic(redis.connection);
  });
  after(async () => {
    counter?.stop();
    await reconciler?.close();
    await redis?.cleanup();
    await database?.drop();
  });

  /** One pass, and what it sent to Redis. */
  async function pass(): Promise<{ report: ReconcileReport; traffic: RedisTraffic }> {
    counter.reset();
    const report = await reconciler.reconcile();
    return { report, traffic: counter.reset() };
  }

  const loseEvaluateJobs = (campaignIds: string[], perCampaign: number) =>
    loseJobs(database.db, redis.queues, campaignIds, perCampaign);

  test("a pass with nothing missing: as many round trips for 20 pending trials as for 4,000", async () => {
    const few = await seedActiveCampaigns(database.db, "few", 10, 2);
    await enqueueRoundFlows(database.db, redis.queues, few);
    const small = await pass();
    assert.deepEqual(small.report.added, { campaign: 0, round: 0, evaluate: 0 });
    assert.equal(small.report.campaigns, 10);

    const many = await seedActiveCampaigns(database.db, "many", 190, 21);
    await enqueueRoundFlows(database.db, redis.queues, many);
    const large = await pass();
    assert.deepEqual(large.report.added, { campaign: 0, round: 0, evaluate: 0 });
    assert.equal(large.report.campaigns, 200);
    // Every round job and every pending trial's job was looked at...
    assert.ok(large.traffic.commands >= 200 + 190 * 21 + 10 * 2, JSON.stringify(large.traffic));
    // ...in the same number of round trips: one pipeline for the batch.
    assert.equal(small.traffic.roundTrips, 1, JSON.stringify(small.traffic));
    assert.equal(large.traffic.roundTrips, small.traffic.roundTrips, JSON.stringify(large.traffic));
  });

  test("repairs cost round trips per campaign repaired, not per job re-enqueued", async () => {
    const ids = await seedActiveCampaigns(database.db, "repair", 8, 30);
    await enqueueRoundFlows(database.db, redis.queues, ids);
    await pass(); // the campaigns of the test above, and these, all complete: nothing to do

    // One evaluate job lost in each of 4 campaigns, then all 30 in each of 4 others.
    const one = await loseEvaluateJobs(ids.slice(0, 4), 1);
    const fewLost = await pass();
    assert.deepEqual(fewLost.report.added, { campaign: 0, round: 0, evaluate: one });
    const all = await loseEvaluateJobs(ids.slice(4, 8), 30);
    const allLost = await pass();
    assert.deepEqual(allLost.report.added, { campaign: 0, round: 0, evaluate: all });
    assert.equal(all, 120);
    assert.equal(allLost.traffic.roundTrips, fewLost.traffic.roundTrips);
    // The check (one pipeline) and one MULTI per repaired campaign.
    assert.equal(allLost.traffic.roundTrips, 1 + 4, JSON.stringify(allLost.traffic));

    // Repairs are counted in the coordinator's metrics.
    const text = await metrics.registry.metrics();
    assert.match(text, /nasvae_reconciler_repairs_total\{kind="evaluate"\} 124\b/);
    assert.match(text, /nasvae_reconciler_repairs_total\{kind="round"\} 0\b/);
    assert.match(text, /nasvae_reconciler_last_pass_campaigns 208\b/);
    assert.match(text, /nasvae_reconciler_pass_duration_seconds_count 5\b/);

    const again = await pass();
    assert.deepEqual(again.report.added, { campaign: 0, round: 0, evaluate: 0 }, "idempotent");
  });
});
