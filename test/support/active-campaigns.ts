// Many running campaigns at once, for the reconciler's scale test and bench/reconciler.ts:
// written straight into Postgres with a few set-based statements (thousands of campaigns in a
// second), and their round flows enqueued in Redis as the coordinator would have.

import type { Database } from "@nasvae/db";
import { type JobQueues, roundFlow } from "@nasvae/jobs";
import type { Redis } from "ioredis";

const EVALUATOR = '{"kind":"nas-bench-201","dataset":"cifar10"}';

/**
 * `campaigns` running campaigns named `<label>-N`, each with a running round 0 of
 * `trialsPerCampaign` pending trials (the same architectures in each). Returns their ids.
 */
export async function seedActiveCampaigns(
  db: Database,
  label: string,
  campaigns: number,
  trialsPerCampaign: number,
): Promise<string[]> {
  await db.$executeRaw`
    INSERT INTO architectures (search_space, canonical_hash, arch_string)
    SELECT 'nas-bench-201', ${label} || ':' || g, ${label} || '-cell-' || g
    FROM generate_series(1, ${trialsPerCampaign}::int) g
    ON CONFLICT DO NOTHING`;
  const rows = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO campaigns (name, status, search_space, evaluator, evaluator_fingerprint, strategy,
                           budget_evaluations, round_size, seed, started_at)
    SELECT ${label} || '-' || g, 'running', 'nas-bench-201', ${EVALUATOR}::jsonb, ${label},
           '{"kind":"random"}'::jsonb, ${trialsPerCampaign}::int, ${trialsPerCampaign}::int, g,
           now()
    FROM generate_series(1, ${campaigns}::int) g
    RETURNING id::text AS id`;
  const ids = rows.map((row) => row.id);
  await db.$executeRaw`
    INSERT INTO rounds (campaign_id, index, status, strategy, proposed)
    SELECT id, 0, 'running', 'random', ${trialsPerCampaign}::int
    FROM campaigns WHERE id = ANY(${ids}::uuid[])`;
  await db.$executeRaw`
    INSERT INTO trials (campaign_id, round_id, architecture_id, arch_string)
    SELECT r.campaign_id, r.id, a.id, a.arch_string
    FROM rounds r CROSS JOIN architectures a
    WHERE r.campaign_id = ANY(${ids}::uuid[]) AND a.canonical_hash LIKE ${`${label}:%`}`;
  return ids;
}

/** Each campaign's round 0 as a flow: the round job waiting for its evaluate jobs. */
export async function enqueueRoundFlows(
  db: Database,
  queues: JobQueues,
  campaignIds: string[],
  perCall = 100,
): Promise<void> {
  for (let i = 0; i < campaignIds.length; i += perCall) {
    const ids = campaignIds.slice(i, i + perCall);
    const campaigns = await db.campaign.findMany({
      where: { id: { in: ids } },
      include: { rounds: { include: { trials: { orderBy: { id: "asc" } } } } },
    });
    await queues.flows.addBulk(
      campaigns.flatMap((campaign) =>
        campaign.rounds.map((round) => roundFlow(campaign, round, round.trials)),
      ),
    );
  }
}

/**
 * Deletes the evaluate jobs of the first `perCampaign` trials (by id) of each campaign, as a
 * Redis that lost them would: their hashes and their place in the wait list, nothing else (the
 * round jobs still wait for them). BullMQ's own remove would move a parent left without
 * children to wait, which is not what a loss does.
 */
export async function loseEvaluateJobs(
  db: Database,
  queues: JobQueues,
  campaignIds: string[],
  perCampaign: number,
): Promise<number> {
  const trials = await db.trial.findMany({
    where: { campaignId: { in: campaignIds } },
    orderBy: { id: "asc" },
    select: { id: true, campaignId: true },
  });
  const taken = new Map<string, number>();
  const lost = trials.filter((trial) => {
    const count = taken.get(trial.campaignId) ?? 0;
    taken.set(trial.campaignId, count + 1);
    return count < perCampaign;
  });
  const evaluations = queues.byName.evaluations;
  const pipeline = queues.connection.pipeline();
  for (const trial of lost) {
    pipeline.del(evaluations.toKey(`trial-${trial.id}`));
    pipeline.lrem(evaluations.toKey("wait"), 0, `trial-${trial.id}`);
  }
  await pipeline.exec();
  return lost.length;
}

/** Deletes every key of the deployment's queues, as a Redis restarted without its data would. */
export async function loseAllJobs(queues: JobQueues): Promise<number> {
  let deleted = 0;
  for await (const keys of queues.connection.scanStream({
    match: `${queues.prefix}:*`,
    count: 1000,
  })) {
    if ((keys as string[]).length > 0) deleted += await queues.connection.unlink(...keys);
  }
  return deleted;
}

/** What a client sent to Redis: commands, and round trips (a pipeline or MULTI is one). */
export interface RedisTraffic {
  commands: number;
  roundTrips: number;
}

/**
 * Counts what goes through `connection` until `stop()`: every command, and the round trips,
 * each command sent alone counting one and each pipeline or MULTI (its commands are written
 * together) one. No timing is involved.
 */
export function countRedisTraffic(connection: Redis): {
  traffic: RedisTraffic;
  reset(): RedisTraffic;
  stop(): void;
} {
  const original = connection.sendCommand;
  const pipelines = new WeakSet<object>();
  const traffic: RedisTraffic = { commands: 0, roundTrips: 0 };
  connection.sendCommand = function (this: Redis, ...args: Parameters<Redis["sendCommand"]>) {
    const stream = args[1] as object | undefined;
    traffic.commands += 1;
    if (!stream) traffic.roundTrips += 1;
    else if (!pipelines.has(stream)) {
      pipelines.add(stream);
      traffic.roundTrips += 1;
    }
    return original.apply(this, args);
  } as Redis["sendCommand"];
  return {
    traffic,
    reset() {
      const seen = { ...traffic };
      traffic.commands = 0;
      traffic.roundTrips = 0;
      return seen;
    },
    stop() {
      connection.sendCommand = original;
    },
  };
}
