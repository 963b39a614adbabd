// What the coordinator's reconciler reads from Postgres to rebuild the work Redis lost: the
// campaigns that should be moving, and for a batch of them their latest round and its pending
// trials, in a fixed number of queries whatever the batch's size.
import type { Database } from "../client.ts";
import type { Campaign } from "../generated/client.ts";

/** A pending trial as the reconciler re-enqueues it. */
export interface PendingTrialRef {
  id: string;
  architectureId: string;
  archString: string;
}

/** A campaign with its latest round (null: none yet) and that round's pending trials. */
export interface CampaignObservation {
  campaign: Campaign;
  round: { id: string; index: number; status: string; pending: PendingTrialRef[] } | null;
}

/** The ids of the campaigns in status queued or running, oldest first. */
export async function listActiveCampaignIds(db: Database): Promise<string[]> {
  const rows = await db.campaign.findMany({
    where: { status: { in: ["queued", "running"] } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((row) => row.id);
}

/**
 * These campaigns as Postgres has them now, in the order of `campaignIds`, each with its latest
 * round and that round's pending trials (by id): three queries for the whole batch. Campaigns
 * deleted meanwhile are left out.
 */
export async function observeCampaigns(
  db: Database,
  campaignIds: string[],
): Promise<CampaignObservation[]> {
  const campaigns = await db.campaign.findMany({ where: { id: { in: campaignIds } } });
  const rounds = await db.$queryRaw<
    { id: string; campaignId: string; index: number; status: string }[]
  >`
    SELECT DISTINCT ON (campaign_id)
           id::text AS id, campaign_id::text AS "campaignId", index, status::text AS status
    FROM rounds
    WHERE campaign_id = ANY(${campaignIds}::uuid[])
    ORDER BY campaign_id, index DESC`;
  const pending = await db.trial.findMany({
    where: { roundId: { in: rounds.map((round) => round.id) }, status: "pending" },
    select: { id: true, roundId: true, architectureId: true, archString: true },
    orderBy: { id: "asc" },
  });
  const trialsOf = new Map<string, PendingTrialRef[]>();
  for (const { roundId, ...trial } of pending) {
    const list = trialsOf.get(roundId) ?? [];
    list.push(trial);
    trialsOf.set(roundId, list);
  }
  const roundOf = new Map(rounds.map((round) => [round.campaignId, round]));
  const order = new Map(campaignIds.map((id, i) => [id, i]));
  return campaigns
    .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
    .map((campaign) => {
      const round = roundOf.get(campaign.id);
      return {
        campaign,
        round: round
          ? {
              id: round.id,
              index: round.index,
              status: round.status,
              pending: trialsOf.get(round.id) ?? [],
            }
          : null,
      };
    });
}
