import type { Database } from "../client.ts";
import type { Evaluation, Prisma } from "../generated/client.ts";

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
 * Stores a measured result and completes the trial that asked for it, in one transaction.
 * If the same (architecture, evaluator) was recorded meanwhile (a duplicate delivery, or another
 * campaign's job), the first row wins and the trial points to it: exactly one row, ever.
 * A trial that has failed (cancelled) is not completed: `trialCompleted` is then false.
 */
export async function recordEvaluation(
  db: Database,
  input: RecordEvaluationInput,
): Promise<{ evaluation: Evaluation; inserted: boolean; trialCompleted: boolean }> {
  return db.$transaction(async (tx) => {
    const inserted = await tx.evaluation.createMany({
      data: {
        architectureId: input.architectureId,
        evaluatorFingerprint: input.evaluatorFingerprint,
        evaluator: input.evaluator,
        validationAccuracy: input.result.validationAccuracy,
        testAccuracy: input.result.testAccuracy,
        flops: input.result.flops,
        params: input.result.params,
        metrics: input.result.metrics ?? {},
        stoppedEarly: input.result.stoppedEarly ?? false,
        epochs: input.result.epochs ?? null,
        worker: input.worker,
        durationMs: Math.round(input.durationMs),
      },
      skipDuplicates: true,
    });
    const evaluation = await tx.evaluation.findUniqueOrThrow({
      where: {
        architectureId_evaluatorFingerprint: {
          architectureId: input.architectureId,
          evaluatorFingerprint: input.evaluatorFingerprint,
        },
      },
    });
    // A trial that has failed meanwhile (its campaign was cancelled) stays failed: the result is
    // kept for whoever asks for this architecture next, but it does not count for that campaign.
    const completed = await tx.trial.updateMany({
      where: { id: input.trialId, status: { not: "failed" } },
      data: {
        status: "completed",
        evaluationId: evaluation.id,
        cached: inserted.count === 0,
        error: null,
        finishedAt: new Date(),
      },
    });
    return { evaluation, inserted: inserted.count === 1, trialCompleted: completed.count === 1 };
  });
}
