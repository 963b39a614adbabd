// The shapes of the API's answers that the CLI reads (see apps/api/src/schemas/campaign.ts).

export type CampaignStatus = "queued" | "running" | "paused" | "completed" | "failed" | "cancelled";
export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = [
  "queued",
  "running",
  "paused",
  "completed",
  "failed",
  "cancelled",
];

export interface ArchitectureResult {
  architecture: string;
  validationAccuracy: number;
  /** null where the evaluator has no test figure (enas-6-table). */
  testAccuracy: number | null;
  flops: number;
  params: number;
}

export interface Campaign {
  id: string;
  name: string;
  status: CampaignStatus;
  searchSpace: string;
  evaluator: { kind: string; dataset: string; [setting: string]: unknown };
  strategy: { kind: string; [setting: string]: unknown };
  budget: { evaluations: number; perRound: number };
  seed: number;
  progress: {
    evaluations: number;
    budget: number;
    pending: number;
    failed: number;
    cached: number;
    rounds: number;
  };
  best: ArchitectureResult | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface Evaluation extends ArchitectureResult {
  round: number;
  cached: boolean;
  /** Ended by the early-stopping rule: the figures are its last epoch's. */
  stoppedEarly: boolean;
  /** Epochs trained; null for evaluators that do not train. */
  epochs: number | null;
  worker: string;
  proposedAt: string;
  evaluatedAt: string;
  recordedAt: string;
}

export interface ParetoPoint extends ArchitectureResult {
  round: number;
}

export interface Page<Item> {
  items: Item[];
  total: number;
  limit: number;
  offset: number;
}

/** The body of a 4xx/5xx answer. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: { field: string; message: string }[];
}

export type EvaluationSort = "recorded" | "accuracy" | "flops";
