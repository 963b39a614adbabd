import type { Database } from "../client.ts";
import { type Campaign, CampaignStatus, type Prisma } from "../generated/client.ts";

export interface NewCampaign {
  name: string;
  searchSpace: string;
  evaluator: Prisma.InputJsonObject;
  evaluatorFingerprint: string;
  strategy: Prisma.InputJsonObject;
  budgetEvaluations: number;
  roundSize: number;
  seed: number;
}

export function createCampaign(db: Database, campaign: NewCampaign): Promise<Campaign> {
  return db.campaign.create({ data: campaign });
}

/** Per-key caps on queued work (MAX_ACTIVE_CAMPAIGNS_PER_KEY, MAX_PENDING_EVALUATIONS_PER_KEY). */
export interface CampaignQuota {
  maxActiveCampaigns: number;
  maxPendingEvaluations: number;
}

/** What a key has queued: campaigns not ended, and evaluations they have yet to record. */
export interface QueuedWork {
  activeCampaigns: number;
  pendingEvaluations: number;
}

export type QuotaRefusal = {
  limit: "MAX_ACTIVE_CAMPAIGNS_PER_KEY" | "MAX_PENDING_EVALUATIONS_PER_KEY";
  max: number;
  current: number;
  requested: number;
};

/** The campaigns of a key that are queued, running or paused, and their unrecorded evaluations. */
export async function queuedWorkOf(db: Database, ownerKeyHash: string): Promise<QueuedWork> {
  const rows = await db.$queryRaw<{ active: number; pending: number }[]>`
    SELECT count(*)::int AS active,
           COALESCE(sum(GREATEST(c.budget_evaluations - (
             SELECT count(*) FROM trials t WHERE t.campaign_id = c.id AND t.status = 'completed'
           ), 0)), 0)::int AS pending
    FROM campaigns c
    WHERE c.owner_key_hash = ${ownerKeyHash}
      AND c.status IN ('queued', 'running', 'paused')`;
  const row = rows[0];
  return { activeCampaigns: row?.active ?? 0, pendingEvaluations: row?.pending ?? 0 };
}

/**
 * Creates the campaign if its key stays within the quota, else writes nothing and says which
 * limit it would pass. One statement (the SQL function create_campaign_within_quota, migration
 * 20261207050000): it takes a per-key advisory lock, so that requests racing each other cannot all
 * pass the same check, counts the key's work with a snapshot taken after the lock, and inserts.
 * The lock is held for that one call, not across round trips between here and the database.
 */
export async function createCampaignWithinQuota(
  db: Database,
  campaign: NewCampaign & { ownerKeyHash: string },
  quota: CampaignQuota,
): Promise<{ campaign: Campaign } | { refused: QuotaRefusal }> {
  const rows = await db.$queryRaw<
    {
      refused: QuotaRefusal["limit"] | null;
      current: number | null;
      id: string | null;
      created_at: Date | null;
    }[]
  >`SELECT * FROM create_campaign_within_quota(
      ${campaign.ownerKeyHash}::text, ${campaign.name}::text, ${campaign.searchSpace}::text,
      ${JSON.stringify(campaign.evaluator)}::jsonb, ${campaign.evaluatorFingerprint}::text,
      ${JSON.stringify(campaign.strategy)}::jsonb, ${campaign.budgetEvaluations}::int,
      ${campaign.roundSize}::int, ${campaign.seed}::int, ${quota.maxActiveCampaigns}::int,
      ${quota.maxPendingEvaluations}::int)`;
  const row = rows[0];
  if (!row) throw new Error("create_campaign_within_quota returned no row");
  if (row.refused) {
    const requested =
      row.refused === "MAX_ACTIVE_CAMPAIGNS_PER_KEY" ? 1 : campaign.budgetEvaluations;
    const max =
      row.refused === "MAX_ACTIVE_CAMPAIGNS_PER_KEY"
        ? quota.maxActiveCampaigns
        : quota.maxPendingEvaluations;
    return { refused: { limit: row.refused, max, current: row.current ?? 0, requested } };
  }
  if (!row.id || !row.created_at) throw new Error("create_campaign_within_quota: no id returned");
  // The row as inserted: the caller's values, the defaults of a new campaign, the generated id.
  return {
    campaign: {
      id: row.id,
      name: campaign.name,
      status: "queued",
      searchSpace: campaign.searchSpace,
      evaluator: campaign.evaluator as Prisma.JsonValue,
      evaluatorFingerprint: campaign.evaluatorFingerprint,
      strategy: campaign.strategy as Prisma.JsonValue,
      budgetEvaluations: campaign.budgetEvaluations,
      roundSize: campaign.roundSize,
      seed: campaign.seed,
      error: null,
      createdAt: new Date(row.created_at),
      startedAt: null,
      finishedAt: null,
      ownerKeyHash: campaign.ownerKeyHash,
    },
  };
}

export function deleteCampaign(db: Database, id: string): Promise<unknown> {
  return db.campaign.delete({ where: { id } });
}

export function findCampaign(db: Database, id: string): Promise<Campaign | null> {
  return db.campaign.findUnique({ where: { id } });
}

/** queued -> running; returns false when the campaign had already left `queued`. */
export async function markCampaignRunning(db: Database, id: string): Promise<boolean> {
  const { count } = await db.campaign.updateMany({
    where: { id, status: "queued" },
    data: { status: "running", startedAt: new Date() },
  });
  return count === 1;
}

/**
 * markCampaignRunning that also returns the campaign as it now is (one statement): null when it
 * had already left `queued` or does not exist. `hasRounds`: whether it has any round written (a
 * campaign paused and resumed before its start job ran may), so that the planner need not look
 * for round 0 of one that has none.
 */
export async function startQueuedCampaign(
  db: Database,
  id: string,
): Promise<{ campaign: Campaign; hasRounds: boolean } | null> {
  const [row] = await db.$queryRaw<(Campaign & { hasRounds: boolean })[]>`
    UPDATE campaigns c SET status = 'running', started_at = now()
    WHERE c.id = ${id}::uuid AND c.status = 'queued'
    RETURNING c.id, c.name, c.status::text AS "status", c.search_space AS "searchSpace",
      c.evaluator, c.evaluator_fingerprint AS "evaluatorFingerprint", c.strategy,
      c.budget_evaluations AS "budgetEvaluations", c.round_size AS "roundSize", c.seed, c.error,
      c.created_at AS "createdAt", c.started_at AS "startedAt", c.finished_at AS "finishedAt",
      c.owner_key_hash AS "ownerKeyHash",
      EXISTS (SELECT 1 FROM rounds r WHERE r.campaign_id = c.id) AS "hasRounds"`;
  if (!row) return null;
  const { hasRounds, ...campaign } = row;
  return { campaign, hasRounds };
}

/** Ends a running (or still queued) campaign; a campaign that already ended keeps its status. */
export async function finishCampaign(
  db: Database,
  id: string,
  status: Extract<CampaignStatus, "completed" | "failed">,
  error?: string,
): Promise<boolean> {
  const { count } = await db.campaign.updateMany({
    where: { id, status: { in: ["queued", "running"] } },
    data: { status, finishedAt: new Date(), error: error ?? null },
  });
  return count === 1;
}

/** Campaigns, newest first, optionally of one status. */
export async function listCampaigns(
  db: Database,
  filter: { status?: CampaignStatus; limit: number; offset: number },
): Promise<{ items: Campaign[]; total: number }> {
  const where = filter.status ? { status: filter.status } : {};
  const [items, total] = await Promise.all([
    db.campaign.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      take: filter.limit,
      skip: filter.offset,
    }),
    db.campaign.count({ where }),
  ]);
  return { items, total };
}

/**
 * How many campaigns have each status, in one grouped query; every status is there, 0 when no
 * campaign has it (the API's nasvae_campaigns gauge).
 */
export async function countCampaignsByStatus(
  db: Database,
): Promise<Record<CampaignStatus, number>> {
  const groups = await db.campaign.groupBy({ by: ["status"], _count: { _all: true } });
  const counts = Object.fromEntries(
    Object.values(CampaignStatus).map((status) => [status, 0]),
  ) as Record<CampaignStatus, number>;
  for (const group of groups) counts[group.status] = group._count._all;
  return counts;
}
