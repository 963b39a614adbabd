import {
  type Campaign,
  campaignProgress,
  type Database,
  type Evaluation,
  findBestTrial,
  modelSummary,
  type TrialWithResult,
} from "@nasvae/db";
import type { CampaignResponse } from "./schemas/campaign.ts";

/** The campaign as GET /campaigns/:id shows it: settings, progress and best result so far. */
export async function campaignView(db: Database, campaign: Campaign): Promise<CampaignResponse> {
  const [progress, best, rounds, model] = await Promise.all([
    campaignProgress(db, campaign.id),
    findBestTrial(db, campaign.id),
    db.round.count({ where: { campaignId: campaign.id } }),
    modelSummary(db, campaign.id),
  ]);
  return {
    id: campaign.id,
    name: campaign.name,
    status: campaign.status,
    searchSpace: campaign.searchSpace,
    evaluator: campaign.evaluator as CampaignResponse["evaluator"],
    strategy: campaign.strategy as CampaignResponse["strategy"],
    budget: { evaluations: campaign.budgetEvaluations, perRound: campaign.roundSize },
    seed: campaign.seed,
    progress: {
      evaluations: progress.completed,
      budget: campaign.budgetEvaluations,
      pending: progress.pending,
      failed: progress.failed,
      cached: progress.cached,
      rounds,
    },
    best: best ? architectureResult(best) : null,
    model,
    error: campaign.error,
    createdAt: campaign.createdAt.toISOString(),
    startedAt: campaign.startedAt?.toISOString() ?? null,
    finishedAt: campaign.finishedAt?.toISOString() ?? null,
  };
}

/** A trial's architecture with its measured figures. The stored representative of the class. */
export function architectureResult(trial: TrialWithResult & { evaluation: Evaluation }) {
  return {
    architecture: trial.architecture.archString,
    validationAccuracy: trial.evaluation.validationAccuracy,
    testAccuracy: trial.evaluation.testAccuracy,
    flops: trial.evaluation.flops,
    params: trial.evaluation.params,
  };
}
