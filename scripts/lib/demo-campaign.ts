// The demo's campaigns: POST one, draw its progress until it ends, return its final view.

/** What the demo reads of GET /campaigns/:id. */
export interface CampaignView {
  id: string;
  status: string;
  model: null | { backend: string | null; snapshots: number };
  error: string | null;
  progress: { evaluations: number; budget: number; rounds: number; cached: number; failed: number };
  best: null | {
    architecture: string;
    validationAccuracy: number;
    /** Null where the evaluator measures none (tables without test figures). */
    testAccuracy: number | null;
    flops: number;
    params: number;
  };
}

/** What the demo reads of GET /campaigns/:id/evaluations. */
export interface EvaluationView {
  architectureId: string;
  architecture: string;
  validationAccuracy: number;
  /** Null where the evaluator measures none. */
  testAccuracy: number | null;
  flops: number;
  params: number;
  stoppedEarly: boolean;
  epochs: number | null;
  worker: string;
}

export interface DemoApi {
  /** http://127.0.0.1:PORT */
  base: string;
  apiKey: string;
}

/** POSTs `body`; throws with the API's message when it is refused. */
export async function createCampaign(api: DemoApi, body: object): Promise<string> {
  const created = await fetch(`${api.base}/campaigns`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${api.apiKey}` },
    body: JSON.stringify(body),
  });
  const answer = (await created.json()) as { id: string; message?: string };
  if (created.status !== 201) {
    throw new Error(`POST /campaigns answered ${created.status}: ${answer.message}`);
  }
  return answer.id;
}

/** Polls the campaign, printing a progress bar line whenever its count moves, until it ends. */
export async function watchCampaign(api: DemoApi, id: string): Promise<CampaignView> {
  let shown = -1;
  for (;;) {
    const campaign = (await (await fetch(`${api.base}/campaigns/${id}`)).json()) as CampaignView;
    const { evaluations, budget, rounds } = campaign.progress;
    if (evaluations !== shown) {
      shown = evaluations;
      const best = campaign.best
        ? `best so far: valid ${campaign.best.validationAccuracy.toFixed(2)}%  test ${campaign.best.testAccuracy?.toFixed(2) ?? "-"}%`
        : "";
      const width = 30;
      const filled = Math.round((evaluations / budget) * width);
      console.log(
        `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(evaluations).padStart(4)}/${budget}  round ${rounds}  ${best}`,
      );
    }
    if (!["queued", "running"].includes(campaign.status)) return campaign;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** The campaign's evaluations, best validation accuracy first. */
export async function campaignEvaluations(api: DemoApi, id: string): Promise<EvaluationView[]> {
  const page = await fetch(`${api.base}/campaigns/${id}/evaluations?sort=accuracy&limit=1000`);
  return ((await page.json()) as { items: EvaluationView[] }).items;
}
