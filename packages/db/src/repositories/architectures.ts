import type { Database } from "../client.ts";
import type { Architecture, Evaluation, LearningCurvePoint } from "../generated/client.ts";

export interface ArchitectureDetail {
  architecture: Architecture;
  evaluations: Evaluation[];
  /** Every epoch recorded for this architecture, under any evaluator. */
  learningCurve: LearningCurvePoint[];
  trials: {
    campaignId: string;
    campaignName: string;
    roundIndex: number;
    status: string;
    cached: boolean;
    predictedAccuracy: number | null;
    createdAt: Date;
  }[];
}

/** One architecture with everything measured about it and the campaigns that proposed it. */
export async function findArchitectureDetail(
  db: Database,
  id: string,
): Promise<ArchitectureDetail | null> {
  const architecture = await db.architecture.findUnique({
    where: { id },
    include: {
      evaluations: { orderBy: { createdAt: "asc" } },
      learningCurve: { orderBy: [{ evaluatorFingerprint: "asc" }, { epoch: "asc" }] },
      trials: {
        orderBy: { createdAt: "asc" },
        include: { campaign: { select: { name: true } }, round: { select: { index: true } } },
      },
    },
  });
  if (!architecture) return null;
  const { evaluations, learningCurve, trials, ...row } = architecture;
  return {
    architecture: row,
    evaluations,
    learningCurve,
    trials: trials.map((trial) => ({
      campaignId: trial.campaignId,
      campaignName: trial.campaign.name,
      roundIndex: trial.round.index,
      status: trial.status,
      cached: trial.cached,
      predictedAccuracy: trial.predictedAccuracy,
      createdAt: trial.createdAt,
    })),
  };
}
