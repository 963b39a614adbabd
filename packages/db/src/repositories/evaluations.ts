import type { Database } from "../client.ts";
import { type Evaluation, Prisma } from "../generated/client.ts";

export interface MeasuredResult {
  validationAccuracy: number;
  /** null where the evaluator has no test figure (the enas-6-table evaluator). */
  testAccuracy: number | null;
  flops: number;
  params: number;
  metrics?: Prisma.InputJsonObject;
  /** The run was ended by an early-stopping rule; its figures are its last epoch's. */
  stoppedEarly?: boolean;
  /** Epochs trained (training evaluators only). */
  epochs?: number | null;
}

export function findEvaluation(
  db: Database,
  architectureId: string,
  evaluatorFingerprint: string,
): Promise<Evaluation | null> {
  return db.evaluation.findUnique({
    where: { architectureId_evaluatorFingerprint: { architectureId, evaluatorFingerprint } },
  });
}

export interface RecordEvaluationInput {
  trialId: string;
  architectureId: string;
  evaluatorFingerprint: string;
  evaluator: Prisma.InputJsonObject;
  result: MeasuredResult;
  worker: string;
  durationMs: number;
}

/**
 * The columns of an evaluations row under Prisma's field names, for raw queries that return one
 * (`alias`: the table's alias in the query). Raw results come back typed (Date, JSON) as Prisma's.
 */
export function evaluationColumns(alias: string): Prisma.Sql {
  return Prisma.raw(
    [
      ["id", "id"],
      ["architecture_id", "architectureId"],
      ["evaluator_fingerprint", "evaluatorFingerprint"],
      ["evaluator", "evaluator"],
      ["validation_accuracy", "validationAccuracy"],
      ["test_accuracy", "testAccuracy"],
      ["flops", "flops"],
      ["params", "params"],
      ["metrics", "metrics"],
      ["stopped_early", "stoppedEarly"],
      ["epochs", "epochs"],
      ["worker", "worker"],
      ["duration_ms", "durationMs"],
      ["created_at", "createdAt"],
    ]
      .map(([column, field]) => `${alias}."${column}" AS "${field}"`)
      .join(", "),
  );
}

export interface RecordedEvaluation {
  /** The row that answers the trial: the one just inserted, or the one that existed. */
  evaluation: Evaluation;
  /** True when this input's result is the row (it was not recorded before). */
  inserted: boolean;
  /** False when the trial had failed meanwhile (its campaign was cancelled): it stays failed. */
  trialCompleted: boolean;
}

/**
 * Stores a measured result and completes the trial that asked for it, atomically.
 * If the same (architecture, evaluator) was recorded meanwhile (a duplicate delivery, or another
 * campaign's job), the first row wins and the trial points to it: exactly one row, ever.
 * A trial that has failed (cancelled) is not completed: `trialCompleted` is then false.
 */
export async function recordEvaluation(
  db: Database,
  input: RecordEvaluationInput,
): Promise<RecordedEvaluation> {
  const [recorded] = await recordEvaluations(db, [input]);
  return recorded as RecordedEvaluation;
}

type RecordedRow = Evaluation & { ord: number; inserted: boolean; trialCompleted: boolean };

/**
 * recordEvaluation for several results in one statement (a worker's concurrent jobs share it),
 * with the same guarantees for each; one outcome per input, in the order given. Inputs for the
 * same (architecture, evaluator) share one row: the first of them inserts it, the others find it.
 */
export async function recordEvaluations(
  db: Database,
  inputs: readonly RecordEvaluationInput[],
): Promise<RecordedEvaluation[]> {
  return (await recordInOneStatement(db, inputs, false)) as RecordedEvaluation[];
}

/** A result to record only if its job may still record it (recordAdmittedEvaluations). */
export interface AdmittedEvaluationInput extends RecordEvaluationInput {
  /** The trial's campaign, whose status is the pause/cancel gate. */
  campaignId: string;
}

/**
 * recordEvaluations with the evaluate job's gate in the same statement, for evaluators whose
 * result costs nothing to compute (table lookups): an input is recorded only if its trial is still
 * pending and its campaign is neither paused nor cancelled; otherwise nothing is written for it
 * and its outcome is null, and the worker reads the job's state and decides as it does before any
 * evaluation (hold, skip, duplicate, missing trial). One round trip per job instead of a read and
 * a write.
 */
export async function recordAdmittedEvaluations(
  db: Database,
  inputs: readonly AdmittedEvaluationInput[],
): Promise<(RecordedEvaluation | null)[]> {
  return recordInOneStatement(db, inputs, true);
}

async function recordInOneStatement(
  db: Database,
  inputs: readonly (RecordEvaluationInput & { campaignId?: string })[],
  gated: boolean,
): Promise<(RecordedEvaluation | null)[]> {
  const outcomes: (RecordedEvaluation | null)[] = new Array(inputs.length);
  let waiting = inputs.map((input, ord) => ({ input, ord }));
  // One statement, so one round trip and one implicit transaction: insert the pairs that do not
  // exist, take each input's new or existing row, and complete its trial with it. A row that
  // another transaction committed after this statement's snapshot was taken stops its insert but
  // is not visible to it: that input gets no row and no trial update, and runs again in a new
  // statement, with a new snapshot.
  for (let attempt = 1; waiting.length > 0; attempt += 1) {
    if (attempt > 5) {
      const { input } = waiting[0] as { input: RecordEvaluationInput };
      throw new Error(
        `evaluation of ${input.architectureId} (${input.evaluatorFingerprint}) neither inserted nor found`,
      );
    }
    const batch = waiting.map(({ input }) => input);
    const results = batch.map((input) => input.result);
    // One array per column: unnest's row estimate is then the real count, and the planner looks
    // each row up by key (a JSON recordset is estimated at 100 rows: whole-table scans).
    // Gated: the inputs whose job may record (trial pending, campaign neither paused nor
    // cancelled); the others are answered `refused`, with nothing written.
    const admitted = gated
      ? Prisma.sql`admitted AS (
          SELECT input.* FROM input
          WHERE EXISTS (
              SELECT 1 FROM trials t WHERE t.id = input.trial_id AND t.status = 'pending')
            AND EXISTS (
              SELECT 1 FROM campaigns c
              WHERE c.id = input.campaign_id AND c.status NOT IN ('paused', 'cancelled'))
        ),`
      : Prisma.sql`admitted AS (SELECT * FROM input),`;
    const refused = gated
      ? Prisma.sql`UNION ALL
        SELECT input.ord, ${Prisma.raw(Array.from({ length: 14 }, () => "NULL").join(", "))},
          false, false, true
        FROM input WHERE NOT EXISTS (SELECT 1 FROM admitted WHERE admitted.ord = input.ord)`
      : Prisma.empty;
    const rows = await db.$queryRaw<(RecordedRow & { refused: boolean })[]>`
      WITH input AS (
        SELECT (i.ord - 1)::int AS ord, i.trial_id, i.campaign_id, i.architecture_id,
          i.evaluator_fingerprint,
          i.evaluator::jsonb AS evaluator, i.validation_accuracy, i.test_accuracy, i.flops,
          i.params, i.metrics::jsonb AS metrics, i.stopped_early, i.epochs, i.worker,
          i.duration_ms
        FROM unnest(
          ${batch.map((input) => input.trialId)}::uuid[],
          ${batch.map((input) => input.campaignId ?? null)}::uuid[],
          ${batch.map((input) => input.architectureId)}::uuid[],
          ${batch.map((input) => input.evaluatorFingerprint)}::text[],
          ${batch.map((input) => JSON.stringify(input.evaluator))}::text[],
          ${results.map((result) => result.validationAccuracy)}::float8[],
          ${results.map((result) => result.testAccuracy)}::float8[],
          ${results.map((result) => result.flops)}::float8[],
          ${results.map((result) => result.params)}::float8[],
          ${results.map((result) => JSON.stringify(result.metrics ?? {}))}::text[],
          ${results.map((result) => result.stoppedEarly ?? false)}::boolean[],
          ${results.map((result) => result.epochs ?? null)}::int4[],
          ${batch.map((input) => input.worker)}::text[],
          ${batch.map((input) => Math.round(input.durationMs))}::int4[]
        ) WITH ORDINALITY AS i (
          trial_id, campaign_id, architecture_id, evaluator_fingerprint, evaluator,
          validation_accuracy,
          test_accuracy, flops, params, metrics, stopped_early, epochs, worker, duration_ms, ord
        )
      ),
      ${admitted}
      -- The first input of each pair is the one whose figures are kept.
      first AS (
        SELECT DISTINCT ON (architecture_id, evaluator_fingerprint) *
        FROM admitted ORDER BY architecture_id, evaluator_fingerprint, ord
      ),
      inserted AS (
        INSERT INTO evaluations (
          architecture_id, evaluator_fingerprint, evaluator, validation_accuracy, test_accuracy,
          flops, params, metrics, stopped_early, epochs, worker, duration_ms
        )
        -- In key order, so that concurrent statements take their locks in one order.
        SELECT architecture_id, evaluator_fingerprint, evaluator, validation_accuracy,
          test_accuracy, flops, params, metrics, stopped_early, epochs, worker, duration_ms
        FROM first ORDER BY architecture_id, evaluator_fingerprint
        ON CONFLICT (architecture_id, evaluator_fingerprint) DO NOTHING
        RETURNING *
      ),
      -- Each pair's row: the one just inserted, or the one visible before (never both).
      pair_row AS (
        SELECT inserted.*, true AS fresh FROM inserted
        UNION ALL
        SELECT existing.*, false AS fresh FROM first
        CROSS JOIN LATERAL (
          SELECT * FROM evaluations e
          WHERE e.architecture_id = first.architecture_id
            AND e.evaluator_fingerprint = first.evaluator_fingerprint
          LIMIT 1
        ) existing
      ),
      recorded AS (
        SELECT i.ord, i.trial_id, r.*,
          r.fresh AND i.ord = f.ord AS inserted_by_input
        FROM admitted i
        JOIN first f USING (architecture_id, evaluator_fingerprint)
        JOIN pair_row r USING (architecture_id, evaluator_fingerprint)
      ),
      -- A trial that has failed meanwhile (its campaign was cancelled) stays failed: the result
      -- is kept for whoever asks for this architecture next, but it does not count for that
      -- campaign.
      completed AS (
        UPDATE trials
        SET status = 'completed', evaluation_id = recorded.id,
            cached = NOT recorded.inserted_by_input, error = NULL, finished_at = now()
        FROM recorded
        WHERE trials.id = recorded.trial_id AND trials.status <> 'failed'
        RETURNING trials.id
      )
      SELECT recorded.ord, ${evaluationColumns("recorded")},
        recorded.inserted_by_input AS "inserted",
        EXISTS (SELECT 1 FROM completed WHERE completed.id = recorded.trial_id) AS "trialCompleted",
        false AS "refused"
      FROM recorded
      ${refused}`;
    const answered = new Set<number>();
    for (const { ord, inserted, trialCompleted, refused: notAdmitted, ...evaluation } of rows) {
      const position = (waiting[ord] as { ord: number }).ord;
      outcomes[position] = notAdmitted ? null : { evaluation, inserted, trialCompleted };
      answered.add(ord);
    }
    waiting = waiting.filter((_, ord) => !answered.has(ord));
  }
  return outcomes;
}
