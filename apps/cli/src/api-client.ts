import type {
  ErrorResponse as ApiErrorBody,
  CampaignResponse as Campaign,
  CampaignPage,
  CampaignStatusName as CampaignStatus,
  EvaluationItem as Evaluation,
  EvaluationPage,
  EvaluationSort,
  ParetoFront,
} from "@nasvae/contracts";
import { CliError } from "./errors.ts";

/** POST /campaigns/:id/<action> (docs/campaign-control.md). */
export type CampaignAction = "pause" | "resume" | "cancel";

/** The API's largest page (`limit`). */
export const MAX_PAGE_SIZE = 1000;

const REQUEST_TIMEOUT_MS = 30_000;

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host not found",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "timed out",
  UND_ERR_CONNECT_TIMEOUT: "timed out",
};

/** The REST API, as the campaign commands use it. Every failure becomes a CliError with one clear line. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string | undefined,
    /** Evaluations per request when paging through them all (tests make it small). */
    private readonly pageSize = MAX_PAGE_SIZE,
  ) {}

  createCampaign(body: unknown): Promise<Campaign> {
    return this.request("POST", "/campaigns", body);
  }

  getCampaign(id: string): Promise<Campaign> {
    return this.request("GET", `/campaigns/${encodeURIComponent(id)}`);
  }

  /** Pauses, resumes or cancels a campaign; resolves to the campaign after the change. */
  controlCampaign(id: string, action: CampaignAction): Promise<Campaign> {
    return this.request("POST", `/campaigns/${encodeURIComponent(id)}/${action}`);
  }

  listCampaigns(query: { status?: CampaignStatus; limit: number; offset?: number }) {
    return this.request<CampaignPage>("GET", `/campaigns${queryString(query)}`);
  }

  listEvaluations(id: string, query: { sort: EvaluationSort; limit: number; offset: number }) {
    return this.request<EvaluationPage>(
      "GET",
      `/campaigns/${encodeURIComponent(id)}/evaluations${queryString(query)}`,
    );
  }

  /** Up to `limit` evaluations (all of them when undefined), fetched page by page. */
  async allEvaluations(id: string, sort: EvaluationSort, limit?: number): Promise<Evaluation[]> {
    const items: Evaluation[] = [];
    for (;;) {
      const wanted = limit === undefined ? this.pageSize : limit - items.length;
      const page = await this.listEvaluations(id, {
        sort,
        limit: Math.min(this.pageSize, wanted),
        offset: items.length,
      });
      items.push(...page.items);
      const done = page.items.length === 0 || items.length >= page.total;
      if (done || (limit !== undefined && items.length >= limit)) return items;
    }
  }

  async paretoFront(id: string): Promise<ParetoFront["items"]> {
    const front = await this.request<ParetoFront>(
      "GET",
      `/campaigns/${encodeURIComponent(id)}/pareto-front`,
    );
    return front.items;
  }

  private async request<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw this.unreachable(error);
    }
    const text = await response.text();
    if (!response.ok) throw apiError(response, text, this.apiKey !== undefined);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CliError(`the API at ${this.baseUrl} answered ${method} ${path} with non-JSON`);
    }
  }

  private unreachable(error: unknown): CliError {
    const cause =
      error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    const code = cause?.code ?? "";
    const reason = timedOut
      ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`
      : (NETWORK_REASONS[code] ?? (error instanceof Error ? error.message : String(error)));
    return new CliError(`could not reach the nasvae API at ${this.baseUrl} (${reason})`, [
      "is it running? `npm start` in the repository starts the whole stack;",
      "otherwise point --url or NASVAE_URL at the API",
    ]);
  }
}

function queryString(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** A refused request as one line (`400 Bad Request: ...`), with each invalid field listed under it. */
export function apiError(response: Response, text: string, sentKey: boolean): CliError {
  let body: Partial<ApiErrorBody> = {};
  try {
    body = JSON.parse(text) as Partial<ApiErrorBody>;
  } catch {
    // Not the API's own error body (a proxy, say): show the start of whatever came back.
  }
  const status = `${response.status} ${body.error ?? response.statusText}`.trim();
  const details = body.details ?? [];
  const message =
    details.length > 0
      ? `the API refused the request (${status}):`
      : `the API answered ${status}: ${body.message ?? (text.slice(0, 200) || "(no message)")}`;
  const lines = details.map((detail) => `${detail.field}: ${detail.message}`);
  if (response.status === 401 || response.status === 403) {
    lines.push(
      sentKey
        ? "the key sent (--api-key or NASVAE_API_KEY) was not accepted; `nasvae keys list` shows the keys"
        : "set NASVAE_API_KEY or pass --api-key; `nasvae keys create --name NAME` makes a key",
    );
  }
  return new CliError(message, lines);
}
