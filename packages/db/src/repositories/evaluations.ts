import type { Database } from "../client.ts";
import { type Evaluation, Prisma } from "../generated/client.ts";

export interface MeasuredResult {
  validationAccuracy: number;
  testAccuracy: number;
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

type RecordedRow = Evaluation & { inserted: boolean; trialCompleted: boolean };

/**
 * Stores a measured result and completes the trial that asked for it, atomically.
 * If the same (architecture, evaluator) was recorded meanwhile (a duplicate delivery, or another
 * campaign's job), the first row wins and the trial points to it: exactly one row, ever.
 * A trial that has failed (cancelled) is not completed: `trialCompleted` is then false.
 */
export async function recordEvaluation(
  db: Database,
  input: RecordEvaluationInput,
): Promise<{ evaluation: Evaluation; inserted: boolean; trialCompleted: boolean }> {
  const { result } = input;
  // One statement, so one round trip and one implicit transaction: insert unless the pair exists,
  // take the new row or the existing one, and complete the trial with it. A row that another
  // transaction committed after this statement's snapshot was taken stops the insert but is not
  // visible to it: then nothing is written, and the statement is run again with a new snapshot.
  for (let attempt = 1; ; attempt += 1) {
    const rows = await db.$queryRaw<RecordedRow[]>`
      WITH inserted AS (
        INSERT INTO evaluations (
          architecture_id, evaluator_fingerprint, evaluator, validation_accuracy, test_accuracy,
          flops, params, metrics, stopped_early, epochs, worker, duration_ms
        ) VALUES (
          ${input.architectureId}::uuid, ${input.evaluatorFingerprint},
          ${JSON.stringify(input.evaluator)}::jsonb, ${result.validationAccuracy}::float8,
          ${result.testAccuracy}::float8, ${result.flops}::float8, ${result.params}::float8,
          ${JSON.stringify(result.metrics ?? {})}::jsonb, ${result.stoppedEarly ?? false}::boolean,
          ${result.epochs ?? null}::int4, ${input.worker}, ${Math.round(input.durationMs)}::int4
        )
        ON CONFLICT (architecture_id, evaluator_fingerprint) DO NOTHING
        RETURNING *
      ),
      recorded AS (
        SELECT * FROM inserted
        UNION ALL
        SELECT * FROM evaluations
        WHERE architecture_id = ${input.architectureId}::uuid
          AND evaluator_fingerprint = ${input.evaluatorFingerprint}
          AND NOT EXISTS (SELECT 1 FROM inserted)
      ),
      -- A trial that has failed meanwhile (its campaign was cancelled) stays failed: the result
      -- is kept for whoever asks for this architecture next, but it does not count for that
      -- campaign.
      completed AS (
        UPDATE trials
        SET status = 'completed', evaluation_id = recorded.id,
            cached = NOT EXISTS (SELECT 1 FROM inserted), error = NULL, finished_at = now()
        FROM recorded
        WHERE trials.id = ${input.trialId}::uuid AND trials.status <> 'failed'
        RETURNING trials.id
      )
      SELECT ${evaluationColumns("recorded")},
        EXISTS (SELECT 1 FROM inserted) AS "inserted",
        EXISTS (SELECT 1 FROM completed) AS "trialCompleted"
      FROM recorded`;
    const [row] = rows;
    if (row) {
      const { inserted, trialCompleted, ...evaluation } = row;
      return { evaluation, inserted, trialCompleted };
    }
    if (attempt >= 5) {
      throw new Error(
        `evaluation of ${input.architectureId} (${input.evaluatorFingerprint}) neither inserted nor found`,
      );
    }
  }
}
