import type { Database } from "../client.ts";
import type { LearningCurvePoint } from "../generated/client.ts";

export interface EpochRecord {
  architectureId: string;
  evaluatorFingerprint: string;
  /** 1-based. */
  epoch: number;
  trainLoss?: number | null;
  trainAccuracy?: number | null;
  validationLoss?: number | null;
  validationAccuracy?: number | null;
  learningRate?: number | null;
  durationMs: number;
  worker: string;
}

/**
 * Records one epoch of a training run as it finishes. A re-run of the same evaluation (after a
 * crash or a duplicate delivery) overwrites the epochs it repeats, so a curve is one run's curve.
 */
export async function recordEpoch(db: Database, point: EpochRecord): Promise<void> {
  const { architectureId, evaluatorFingerprint, epoch, ...values } = point;
  const data = { ...values, durationMs: Math.round(values.durationMs) };
  await db.learningCurvePoint.upsert({
    where: {
      architectureId_evaluatorFingerprint_epoch: { architectureId, evaluatorFingerprint, epoch },
    },
    create: { architectureId, evaluatorFingerprint, epoch, ...data },
    update: { ...data, createdAt: new Date() },
  });
}

/** The epochs recorded for one architecture under one evaluator, in order. */
export function findLearningCurve(
  db: Database,
  architectureId: string,
  evaluatorFingerprint: string,
): Promise<LearningCurvePoint[]> {
  return db.learningCurvePoint.findMany({
    where: { architectureId, evaluatorFingerprint },
    orderBy: { epoch: "asc" },
  });
}

/** The validation accuracies other architectures reached at `epoch` under this evaluator. */
export async function findPeerValidationAccuracies(
  db: Database,
  evaluatorFingerprint: string,
  epoch: number,
  architectureId: string,
): Promise<number[]> {
  const points = await db.learningCurvePoint.findMany({
    where: {
      evaluatorFingerprint,
      epoch,
      architectureId: { not: architectureId },
      validationAccuracy: { not: null },
    },
    select: { validationAccuracy: true },
  });
  return points.flatMap((point) =>
    point.validationAccuracy === null ? [] : [point.validationAccuracy],
  );
}
