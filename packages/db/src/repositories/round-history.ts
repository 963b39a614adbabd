import type { Database } from "../client.ts";
import type { Evaluation, Round, Trial } from "../generated/client.ts";

export type RoundWithResults = Round & { trials: (Trial & { evaluation: Evaluation | null })[] };

/**
 * A campaign's rounds from index `fromIndex` on, oldest first, each with its trials (in the
 * order proposed) and their results so far: what the campaign page shows round by round.
 */
export function listRoundsWithResults(
  db: Database,
  campaignId: string,
  fromIndex = 0,
): Promise<RoundWithResults[]> {
  return db.round.findMany({
    where: { campaignId, index: { gte: fromIndex } },
    orderBy: { index: "asc" },
    include: {
      trials: { include: { evaluation: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
    },
  });
}
