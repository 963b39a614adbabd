import type { Database } from "../client.ts";
import type {
  Architecture,
  CampaignStatus,
  Evaluation,
  Round,
  Trial,
  TrialStatus,
} from "../generated/client.ts";
import { evaluationColumns } from "./evaluations.ts";

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

/** A trial as a strategy learns from it: listTrials' fields that planning uses. */
export interface TrialObservation {
  archString: string;
  canonicalHash: string;
  status: TrialStatus;
  /** Why it failed, if it did. */
  error: string | null;
  roundIndex: number;
  /** Its result's figures; null until it is completed. */
  validationAccuracy: number | null;
  flops: number | null;
  params: number | null;
}

/**
 * Every trial of a campaign, oldest first (listTrials' order), with what the planner needs of its
 * architecture, round and result: one query where listTrials' includes take four.
 */
export function listTrialObservations(
  db: Database,
  campaignId: string,
): Promise<TrialObservation[]> {
  return db.$queryRaw<TrialObservation[]>`
    SELECT t.arch_string AS "archString", a.canonical_hash AS "canonicalHash",
      t.status::text AS "status", t.error, r.index AS "roundIndex",
      e.validation_accuracy AS "validationAccuracy", e.flops, e.params
    FROM trials t
    JOIN architectures a ON a.id = t.architecture_id
    JOIN rounds r ON r.id = t.round_id
    LEFT JOIN evaluations e ON e.id = t.evaluation_id
    WHERE t.campaign_id = ${campaignId}::uuid
    ORDER BY t.created_at ASC, t.id ASC`;
}

export function findTrial(db: Database, id: string): Promise<TrialWithResult | null> {
  return db.trial.findUnique({ where: { id }, include: withResult });
}

/** What an evaluate job needs to know before it runs (see findEvaluationState). */
export interface EvaluationState {
  /** Its campaign's status; null when there is no such campaign. */
  campaignStatus: CampaignStatus | null;
  /** Its trial; null when there is no such trial. */
  trial: Pick<Trial, "id" | "status" | "evaluationId"> | null;
  /**
   * The trial's own result when it is completed already (a duplicate delivery); otherwise the
   * result recorded for (architecture, evaluator) by any trial, if any (the cache).
   */
  evaluation: Evaluation | null;
}

/** The job an EvaluationState is read for: the ids an evaluate job's payload carries. */
export interface EvaluationStateKey {
  campaignId: string;
  trialId: string;
  architectureId: string;
  evaluatorFingerprint: string;
}

/**
 * Everything an evaluate job reads before it runs, in one query: its campaign's status (the
 * pause/cancel gate), its trial, and the result that already answers it, if any.
 */
export async function findEvaluationState(
  db: Database,
  job: EvaluationStateKey,
): Promise<EvaluationState> {
  const [state] = await findEvaluationStates(db, [job]);
  return state as EvaluationState;
}

/**
 * findEvaluationState for several jobs in one query (a worker's concurrent jobs share it).
 * Resolves to one state per job, in the order given. Ids must be UUIDs.
 */
export async function findEvaluationStates(
  db: Database,
  jobs: readonly EvaluationStateKey[],
): Promise<EvaluationState[]> {
  if (jobs.length === 0) return [];
  // One array per column: unnest's row estimate is then the real count, so the planner looks each
  // job up by key (jsonb_to_recordset is estimated at 100 rows, which made it scan whole tables).
  // Each lookup is a LATERAL ... LIMIT 1, which keeps it an index lookup whatever the estimates.
  const rows = await db.$queryRaw<
    (Evaluation & {
      ord: number;
      campaignStatus: CampaignStatus | null;
      trialId: string | null;
      trialStatus: TrialStatus | null;
      trialEvaluationId: string | null;
    })[]
  >`
    SELECT j.ord::int - 1 AS ord, c.status::text AS "campaignStatus", t.id AS "trialId",
      t.status::text AS "trialStatus", t.evaluation_id AS "trialEvaluationId",
      ${evaluationColumns("e")}
    FROM unnest(
      ${jobs.map((job) => job.campaignId)}::uuid[], ${jobs.map((job) => job.trialId)}::uuid[],
      ${jobs.map((job) => job.architectureId)}::uuid[],
      ${jobs.map((job) => job.evaluatorFingerprint)}::text[]
    ) WITH ORDINALITY AS j (campaign_id, trial_id, architecture_id, evaluator_fingerprint, ord)
    LEFT JOIN LATERAL (
      SELECT status FROM campaigns WHERE campaigns.id = j.campaign_id LIMIT 1
    ) c ON true
    LEFT JOIN LATERAL (
      SELECT id, status, evaluation_id FROM trials WHERE trials.id = j.trial_id LIMIT 1
    ) t ON true
    LEFT JOIN LATERAL (
      SELECT * FROM evaluations
      WHERE evaluations.id = COALESCE(
        CASE WHEN t.status = 'completed' THEN t.evaluation_id END,
        (SELECT k.id FROM evaluations k
         WHERE k.architecture_id = j.architecture_id
           AND k.evaluator_fingerprint = j.evaluator_fingerprint))
      LIMIT 1
    ) e ON true`;
  const states: EvaluationState[] = new Array(jobs.length);
  for (const row of rows) {
    const { ord, campaignStatus, trialId, trialStatus, trialEvaluationId, ...evaluation } = row;
    states[ord] = {
      campaignStatus,
      trial:
        trialId === null
          ? null
          : { id: trialId, status: trialStatus as TrialStatus, evaluationId: trialEvaluationId },
      evaluation: evaluation.id === null ? null : evaluation,
    };
  }
  // Every key yields one row (all joins are outer); a hole would be a bug here, not missing data.
  if (rows.length !== jobs.length) {
    throw new Error(`findEvaluationStates: ${rows.length} rows for ${jobs.length} jobs`);
  }
  return states;
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
    { evaluation: { testAccuracy: { sort: "desc", nulls: "last" } } },
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
      { evaluation: { testAccuracy: { sort: "desc", nulls: "last" } } },
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
  await completeTrialsFromCache(db, [{ trialId, evaluationId }]);
}

/**
 * completeTrialFromCache for several trials in one statement (a worker's concurrent jobs whose
 * result another job recorded meanwhile share it). Like recordEvaluation, a trial that has failed
 * meanwhile (a cancelled campaign's) stays failed.
 */
export async function completeTrialsFromCache(
  db: Database,
  items: readonly { trialId: string; evaluationId: string }[],
): Promise<void> {
  if (items.length === 0) return;
  await db.$executeRaw`
    UPDATE trials t
    SET status = 'completed', evaluation_id = c.evaluation_id, cached = true, error = NULL,
      finished_at = now()
    FROM unnest(${items.map((i) => i.trialId)}::uuid[], ${items.map((i) => i.evaluationId)}::uuid[])
      AS c (trial_id, evaluation_id)
    WHERE t.id = c.trial_id AND t.status <> 'failed'`;
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
