import type { CampaignResponse } from "@nasvae/contracts";
import {
  type Campaign,
  type CampaignSummary,
  campaignSummaries,
  type Database,
  type Evaluation,
  findBestTrial,
  type TrialWithResult,
} from "@nasvae/db";
import { type CellGraph, cellGraph } from "@nasvae/search-space";
import { publicError } from "./public-error.ts";

/** The campaign as GET /campaigns/:id shows it: settings, progress and best result so far. */
export async function campaignView(db: Database, campaign: Campaign): Promise<CampaignResponse> {
  const [view] = await campaignViews(db, [campaign]);
  return view as CampaignResponse;
}

/**
 * The view of a campaign just created (POST /campaigns), from its row alone: it has no trials,
 * rounds, snapshot or best result yet, so nothing else is read.
 */
export function newCampaignView(campaign: Campaign): CampaignResponse {
  const summary: CampaignSummary = {
    progress: { completed: 0, pending: 0, failed: 0, cached: 0 },
    rounds: 0,
    model: null,
  };
  return toView(campaign, summary, null);
}

/**
 * Views of many campaigns (GET /campaigns): three grouped queries for all of them, plus one
 * indexed query per campaign for its best trial.
 */
export async function campaignViews(
  db: Database,
  campaigns: Campaign[],
): Promise<CampaignResponse[]> {
  const ids = campaigns.map((campaign) => campaign.id);
  const [summaries, bests] = await Promise.all([
    campaignSummaries(db, ids),
    Promise.all(ids.map((id) => findBestTrial(db, id))),
  ]);
  return campaigns.map((campaign, i) => {
    const summary = summaries.get(campaign.id) as CampaignSummary;
    return toView(campaign, summary, bests[i] ?? null);
  });
}

function toView(
  campaign: Campaign,
  { progress, rounds, model }: CampaignSummary,
  best: (TrialWithResult & { evaluation: Evaluation }) | null,
): CampaignResponse {
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
    best: best
      ? {
          ...architectureResult(best),
          graph: drawableCell(campaign.searchSpace, best.architecture.archString),
        }
      : null,
    model,
    error: publicError(campaign.error),
    createdAt: campaign.createdAt.toISOString(),
    startedAt: campaign.startedAt?.toISOString() ?? null,
    finishedAt: campaign.finishedAt?.toISOString() ?? null,
  };
}

/** A trial's architecture with its measured figures. The stored representative of the class. */
export function architectureResult(trial: TrialWithResult & { evaluation: Evaluation }) {
  return {
    architectureId: trial.architectureId,
    architecture: trial.architecture.archString,
    validationAccuracy: trial.evaluation.validationAccuracy,
    testAccuracy: trial.evaluation.testAccuracy,
    flops: trial.evaluation.flops,
    params: trial.evaluation.params,
  };
}

/** The cell's drawing model; null for a string its space cannot parse (never kept from a search). */
function drawableCell(searchSpace: string, archString: string): CellGraph | null {
  try {
    return cellGraph(searchSpace, archString);
  } catch {
    return null;
  }
}
