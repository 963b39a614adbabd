import type { Database } from "../client.ts";
import type { Architecture, Evaluation, Round, Trial } from "../generated/client.ts";

export type TrialWithResult = Trial & {
  architecture: Architecture;
  evaluation: Evaluation | null;
  round: Pick<Round, "index">;
};

const withResult = {
  architecture: true,
  evaluation: true,
  round: { select: { index: true } },
} as const;

/** Every trial of a campaign with its result, oldest first: what a strategy learns from. */
export function listTrials(db: Database, campaignId: string): Promise<TrialWithResult[]> {
  return db.trial.findMany({
    where: { campaignId },
    include: withResult,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

export function findTrial(db: Database, id: string): Promise<TrialWithResult | null> {
  return db.trial.findUnique({ where: { id }, include: withResult });
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** Orders of a campaign's evaluations: as recorded, most accurate first, cheapest first. */
export type TrialOrder = "recorded" | "accuracy" | "flops";

const trialOrders = {
  recorded: [{ finishedAt: "asc" }, { id: "asc" }],
  accuracy: [
    { evaluation: { validationAccuracy: "desc" } },
    { evaluation: { testAccuracy: "desc" } },
    { id: "asc" },
  ],
  flops: [
    { evaluation: { flops: "asc" } },
    { evaluation: { validationAccuracy: "desc" } },
    { id: "asc" },
  ],
} as const;

/** Completed trials of a campaign, by default in the order their results were recorded. */
export async function listCompletedTrials(
  db: Database,
  campaignId: string,
  page: { limit: number; offset: number; order?: TrialOrder },
): Promise<Page<TrialWithResult & { evaluation: Evaluation }>> {
  const where = { campaignId, status: "completed" as const };
  const [items, total] = await Promise.all([
    db.trial.findMany({
      where,
      include: withResult,
      orderBy: [...trialOrders[page.order ?? "recorded"]],
      take: page.limit,
      skip: page.offset,
    }),
    db.trial.count({ where }),
  ]);
  return { items: items as (TrialWithResult & { evaluation: Evaluation })[], total };
}

/** The campaign's best trial by validation accuracy (the search signal); ties go to test. */
export async function findBestTrial(
  db: Database,
  campaignId: string,
): Promise<(TrialWithResult & { evaluation: Evaluation }) | null> {
  const best = await db.trial.findFirst({
    where: { campaignId, status: "completed" },
    include: withResult,
    orderBy: [
      { evaluation: { validationAccuracy: "desc" } },
      { evaluation: { testAccuracy: "desc" } },
      { id: "asc" },
    ],
  });
  return best as (TrialWithResult & { evaluation: Evaluation }) | null;
}

/** Completes a trial with a result that already exists (no computation was needed). */
export async function completeTrialFromCache(
  db: Database,
  trialId: string,
  evaluationId: string,
): Promise<void> {
  // Like recordEvaluation: a trial that has failed meanwhile (a cancelled campaign's) stays so.
  await db.trial.updateMany({
    where: { id: trialId, status: { not: "failed" } },
    data: { status: "completed", evaluationId, cached: true, error: null, finishedAt: new Date() },
  });
}

/**
 * The campaign's accuracy-vs-FLOPs Pareto front: completed trials that no other one beats on
 * validation accuracy (higher) or FLOPs (lower) while at least matching it on the other.
 * Ordered by FLOPs. The same rule as the SQL view campaign_pareto_front, computed here because
 * raw queries through the pg adapter ignore its `schema` option (tests use their own schemas).
 */
export async function findParetoFront(
  db: Database,
  campaignId: string,
): Promise<(TrialWithResult & { evaluation: Evaluation })[]> {
  const trials = (await db.trial.findMany({
    where: { campaignId, status: "completed" },
    include: withResult,
  })) as (TrialWithResult & { evaluation: Evaluation })[];
  const dominates = (a: Evaluation, b: Evaluation) =>
    a.validationAccuracy >= b.validationAccuracy &&
    a.flops <= b.flops &&
    (a.validationAccuracy > b.validationAccuracy || a.flops < b.flops);
  return trials
    .filter((t) => !trials.some((other) => dominates(other.evaluation, t.evaluation)))
    .sort((a, b) => a.evaluation.flops - b.evaluation.flops);
}
