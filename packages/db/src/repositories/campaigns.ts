import type { Database } from "../client.ts";
import type { Campaign, CampaignStatus, Prisma } from "../generated/client.ts";

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
 * had already left `queued` or does not exist.
 */
export async function startQueuedCampaign(db: Database, id: string): Promise<Campaign | null> {
  const [campaign] = await db.campaign.updateManyAndReturn({
    where: { id, status: "queued" },
    data: { status: "running", startedAt: new Date() },
  });
  return campaign ?? null;
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
