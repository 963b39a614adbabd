// The body of POST /campaigns from a YAML or JSON file (the same fields as the request) and
// flags, which override the file.
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { CliError, UsageError } from "./errors.ts";

export type CampaignBody = Record<string, unknown>;

/** What the CLI fills in when neither the file nor a flag says (the API requires these). */
export const CAMPAIGN_DEFAULTS = {
  searchSpace: "nas-bench-201",
  evaluatorKind: "nas-bench-201",
  dataset: "cifar10",
} as const;

/**
 * The evaluator kind a campaign of each search space gets when it names none: the space's own
 * table (the only kinds that need no settings). Other spaces: CAMPAIGN_DEFAULTS.evaluatorKind.
 */
export const DEFAULT_EVALUATOR_BY_SPACE: Readonly<Record<string, string>> = {
  "nas-bench-201": "nas-bench-201",
  "enas-macro-6": "enas-6-table",
};

export interface CampaignFlags {
  name?: string | undefined;
  space?: string | undefined;
  evaluator?: string | undefined;
  dataset?: string | undefined;
  strategy?: string | undefined;
  budget?: number | undefined;
  perRound?: number | undefined;
  seed?: number | undefined;
  lambda?: number | undefined;
  /** `PATH=VALUE` pairs, e.g. `strategy.topK=5`; VALUE is read as YAML (`5` is a number). */
  set?: string[] | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** YAML's parser, loaded on first use (it adds a fifth of a second to every start otherwise). */
async function yamlParser(): Promise<(text: string) => unknown> {
  const { parse } = await import("yaml");
  return (text) => parse(text);
}

/** Reads a campaign file: JSON for `.json`, YAML otherwise (`-` reads standard input). */
export async function readCampaignFile(path: string): Promise<CampaignBody> {
  const label = path === "-" ? "standard input" : path;
  let text: string;
  try {
    text = readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new CliError(
      code === "ENOENT"
        ? `${label}: no such file`
        : `could not read ${label}: ${(error as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed =
      extname(path).toLowerCase() === ".json" ? JSON.parse(text) : (await yamlParser())(text);
  } catch (error) {
    throw new CliError(
      `${label} is not valid ${extname(path) === ".json" ? "JSON" : "YAML"}: ${(error as Error).message.split("\n")[0]}`,
    );
  }
  if (!isRecord(parsed)) {
    throw new CliError(
      `${label} must hold the campaign's fields (name, searchSpace, evaluator, strategy, budget, seed) as a mapping`,
    );
  }
  return parsed;
}

function objectAt(body: CampaignBody, key: string): Record<string, unknown> {
  const value = body[key];
  return isRecord(value) ? { ...value } : {};
}

/** Sets `value` at a dotted `path` of `body`, making the objects on the way. */
function setPath(body: CampaignBody, path: string, value: unknown): void {
  const keys = path.split(".");
  let target: Record<string, unknown> = body;
  for (const key of keys.slice(0, -1)) {
    if (!isRecord(target[key])) target[key] = {};
    target = target[key] as Record<string, unknown>;
  }
  target[keys.at(-1) as string] = value;
}

/** The request body: the file's fields, then the flags over them, then the CLI's defaults. */
export async function campaignBody(
  file: CampaignBody | undefined,
  flags: CampaignFlags,
): Promise<CampaignBody> {
  const body: CampaignBody = structuredClone(file ?? {});
  if (flags.name !== undefined) body.name = flags.name;
  body.searchSpace = flags.space ?? body.searchSpace ?? CAMPAIGN_DEFAULTS.searchSpace;

  const fileEvaluator = objectAt(body, "evaluator");
  // Another kind's settings (e.g. a train spec's epochs) would be refused: a new kind starts afresh.
  const evaluator =
    flags.evaluator !== undefined && flags.evaluator !== fileEvaluator.kind
      ? { kind: flags.evaluator }
      : fileEvaluator;
  evaluator.kind =
    flags.evaluator ??
    evaluator.kind ??
    DEFAULT_EVALUATOR_BY_SPACE[String(body.searchSpace)] ??
    CAMPAIGN_DEFAULTS.evaluatorKind;
  evaluator.dataset = flags.dataset ?? evaluator.dataset ?? CAMPAIGN_DEFAULTS.dataset;
  body.evaluator = evaluator;

  if (flags.strategy !== undefined || flags.lambda !== undefined) {
    const fileStrategy = objectAt(body, "strategy");
    // Another kind's settings would be refused as unknown fields: a new kind starts afresh.
    const strategy =
      flags.strategy !== undefined && flags.strategy !== fileStrategy.kind
        ? { kind: flags.strategy }
        : fileStrategy;
    if (strategy.kind === undefined) strategy.kind = "graph-vae";
    if (flags.lambda !== undefined) strategy.lambda = flags.lambda;
    body.strategy = strategy;
  }

  if (flags.budget !== undefined || flags.perRound !== undefined) {
    const budget = objectAt(body, "budget");
    if (flags.budget !== undefined) budget.evaluations = flags.budget;
    if (flags.perRound !== undefined) budget.perRound = flags.perRound;
    body.budget = budget;
  }
  if (flags.seed !== undefined) body.seed = flags.seed;

  const parseValue = flags.set?.length ? await yamlParser() : undefined;
  for (const assignment of flags.set ?? []) {
    const match = /^([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)=(.*)$/s.exec(assignment);
    if (!match) {
      throw new UsageError(
        `--set takes PATH=VALUE (e.g. strategy.topK=5), got "${assignment}"`,
        "create",
      );
    }
    setPath(body, match[1] as string, parseValue?.(match[2] as string));
  }

  if (!isRecord(body.budget) || body.budget.evaluations === undefined) {
    throw new UsageError(
      "the budget is missing: pass --budget N or give budget.evaluations in the file",
      "create",
    );
  }
  return body;
}
