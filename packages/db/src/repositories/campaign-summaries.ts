import type { Database } from "../client.ts";

/** Trials of a campaign by state; `cached` counts completed ones answered from the cache. */
export interface CampaignProgress {
  completed: number;
  pending: number;
  failed: number;
  cached: number;
}

/** What GET /campaigns/:id shows of a campaign's model: its backend and saved snapshots. */
export interface ModelSummary {
  strategy: string;
  backend: string | null;
  snapshots: number;
  lastRound: number;
  sizeBytes: number;
}

export interface CampaignSummary {
  progress: CampaignProgress;
  rounds: number;
  model: ModelSummary | null;
}

/**
 * Progress, round count and model summary of many campaigns in three grouped queries, whatever
 * their number (a list page polls this). Campaigns without trials or rounds get zeros.
 */
export async function campaignSummaries(
  db: Database,
  campaignIds: string[],
): Promise<Map<string, CampaignSummary>> {
  const summaries = new Map<string, CampaignSummary>(
    campaignIds.map((id) => [
      id,
      { progress: { completed: 0, pending: 0, failed: 0, cached: 0 }, rounds: 0, model: null },
    ]),
  );
  if (campaignIds.length === 0) return summaries;
  const where = { campaignId: { in: campaignIds } };
  const [trialGroups, roundGroups, snapshots] = await Promise.all([
    db.trial.groupBy({ by: ["campaignId", "status", "cached"], where, _count: { _all: true } }),
    db.round.groupBy({ by: ["campaignId"], where, _count: { _all: true } }),
    // Without `state` (the weights): a few small columns per round.
    db.modelSnapshot.findMany({
      where,
      select: {
        campaignId: true,
        strategy: true,
        backend: true,
        roundIndex: true,
        sizeBytes: true,
      },
      orderBy: { roundIndex: "asc" },
    }),
  ]);
  for (const group of trialGroups) {
    const progress = summaries.get(group.campaignId)?.progress;
    if (!progress) continue;
    progress[group.status] += group._count._all;
    if (group.cached && group.status === "completed") progress.cached += group._count._all;
  }
  for (const group of roundGroups) {
    const summary = summaries.get(group.campaignId);
    if (summary) summary.rounds = group._count._all;
  }
  for (const snapshot of snapshots) {
    const summary = summaries.get(snapshot.campaignId);
    if (!summary) continue;
    // Ascending order: the last one seen is the latest.
    summary.model = {
      strategy: snapshot.strategy,
      backend: snapshot.backend,
      snapshots: (summary.model?.snapshots ?? 0) + 1,
      lastRound: snapshot.roundIndex,
      sizeBytes: snapshot.sizeBytes,
    };
  }
  return summaries;
}
