/**
 * Reconciler bench: one reconcile pass over many running campaigns, each with a round waiting for
 * its pending trials' evaluate jobs, as the coordinator leaves them. Prints a markdown table:
 * per scenario, the campaigns, the pending trials, what the pass sent to Redis (round trips and
 * commands, counted on the client) and how long it took. Needs the local PostgreSQL and Redis
 * (a schema and a queue prefix of its own, deleted afterwards).
 *
 *   npx tsx bench/reconciler.ts [--campaigns 1000] [--trials 20] [--repeat 3]
 *
 * Scenarios, in order: nothing missing (--repeat passes, each reported); every evaluate job lost
 * (their keys deleted, the round jobs still waiting: each round gets its children back in one
 * MULTI); every job lost (every key of the prefix deleted: each round's whole flow again, one
 * MULTI per campaign); nothing missing once more.
 */
import { parseArgs } from "node:util";
import { createLogger } from "@nasvae/config";
import { createTestDatabase } from "@nasvae/db/testing";
import { Reconciler } from "@nasvae/jobs";
import { createTestQueues } from "@nasvae/jobs/testing";
import {
  countRedisTraffic,
  enqueueRoundFlows,
  loseAllJobs,
  loseEvaluateJobs,
  seedActiveCampaigns,
} from "../test/support/active-campaigns.ts";

const { values: args } = parseArgs({
  options: {
    campaigns: { type: "string", default: "1000" },
    trials: { type: "string", default: "20" },
    repeat: { type: "string", default: "3" },
  },
});
const settings = {
  campaigns: Number(args.campaigns),
  trials: Number(args.trials),
  repeat: Number(args.repeat),
};
for (const [name, value] of Object.entries(settings)) {
  if (!Number.isInteger(value) || value < 1) {
    console.error(`bench/reconciler.ts: --${name} must be a positive integer`);
    process.exit(2);
  }
}
const log = (message: string) => console.error(`[reconciler] ${message}`);

const database = await createTestDatabase("bench_reconciler");
const redis = await createTestQueues("bench-reconciler");
const rows: string[] = [];
try {
  let started = performance.now();
  const ids = await seedActiveCampaigns(database.db, "bench", settings.campaigns, settings.trials);
  log(`${ids.length} campaigns in Postgres in ${Math.round(performance.now() - started)} ms`);
  started = performance.now();
  await enqueueRoundFlows(database.db, redis.queues, ids);
  log(`their round flows in Redis in ${Math.round(performance.now() - started)} ms`);

  const reconciler = new Reconciler({
    db: database.db,
    queues: redis.queues,
    log: createLogger("coordinator", "silent"),
    intervalMs: 0,
  });
  const counter = countRedisTraffic(redis.connection);
  const pending = await database.db.trial.count({ where: { status: "pending" } });
  async function pass(scenario: string) {
    counter.reset();
    const start = performance.now();
    const report = await reconciler.reconcile();
    const ms = performance.now() - start;
    const traffic = counter.reset();
    const repaired = `${report.added.round} flows, ${report.added.evaluate} evaluate jobs`;
    rows.push(
      `| ${scenario} | ${report.campaigns} | ${pending} | ${traffic.roundTrips} | ${traffic.commands} | ${repaired} | ${ms.toFixed(0)} |`,
    );
    log(`${scenario}: ${ms.toFixed(0)} ms`);
  }

  for (let i = 1; i <= settings.repeat; i++) await pass(`nothing missing (pass ${i})`);
  // (pass() counts from its own start: what the setup below sends is not in its figures.)
  await loseEvaluateJobs(database.db, redis.queues, ids, settings.trials);
  await pass("every evaluate job lost");
  await loseAllJobs(redis.queues);
  await pass("every job lost (flows again)");
  await pass("nothing missing (after the repairs)");
  counter.stop();
  await reconciler.close();
} finally {
  await redis.cleanup();
  await database.drop();
}

console.log(
  `## Reconciler: one pass, ${settings.campaigns} campaigns × ${settings.trials} pending trials\n`,
);
console.log(
  "| scenario | campaigns | pending trials | Redis round trips | Redis commands | repaired | ms |",
);
console.log("| --- | ---: | ---: | ---: | ---: | --- | ---: |");
for (const row of rows) console.log(row);
