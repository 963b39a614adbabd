/**
 * Search on real data: campaigns whose child networks are trained for real on Fashion-MNIST,
 * through the whole local stack (API, coordinator, worker processes, the real PostgreSQL and
 * Redis), one campaign per strategy with the same seed, budget and recipe (defaults: the demo's
 * recipe with 1 epoch instead of 2, about 15 min on two loaded cores). Prints a markdown
 * table: per strategy, the test accuracy of the cell it would pick (best validation accuracy),
 * the best test accuracy among the cells it evaluated, how the pick compares with the median
 * cell it evaluated, wall time, evaluations per hour and the TensorFlow.js backend. Raw figures
 * go to bench/results/.
 *
 *   npx tsx bench/fashion-search.ts [--strategies graph-vae,local-search,random] [--budget 20]
 *     [--per-round 5] [--seed 1] [--workers 2] [--epochs 1] [--train-samples 2000]
 *     [--cells 1] [--channels 8] [--timeout-min 15] [--out FILE]
 *
 * Each strategy runs on a fresh stack with a database schema and queue prefix of its own
 * (deleted afterwards), so no strategy is answered from another's cached evaluations and wall
 * times compare. A strategy kind the API refuses (not registered yet) is replaced by evolution,
 * and the report says so. Needs the Fashion-MNIST files (docs/datasets.md): under
 * DATASETS_DIR/fashion-mnist, or Debian's dataset-fashion-mnist. A campaign still running after
 * --timeout-min minutes is cancelled; its row counts what finished.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import { LocalStack, waitForHttp } from "../scripts/lib/local-stack.ts";
import { gitDescription, shellQuote } from "./lib/provenance.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

function usage(message: string): never {
  console.error(`bench/fashion-search.ts: ${message}`);
  console.error(
    "usage: npx tsx bench/fashion-search.ts [--strategies graph-vae,local-search,random] [--budget 20] [--per-round 5] [--seed 1] [--workers 2] [--epochs 1] [--train-samples 2000] [--cells 1] [--channels 8] [--timeout-min 15] [--out FILE]",
  );
  process.exit(2);
}

const { values: args } = (() => {
  try {
    return parseArgs({
      options: {
        strategies: { type: "string", default: "graph-vae,local-search,random" },
        budget: { type: "string", default: "20" },
        "per-round": { type: "string", default: "5" },
        seed: { type: "string", default: "1" },
        workers: { type: "string", default: "2" },
        epochs: { type: "string", default: "1" },
        "train-samples": { type: "string", default: "2000" },
        cells: { type: "string", default: "1" },
        channels: { type: "string", default: "8" },
        "timeout-min": { type: "string", default: "15" },
        out: { type: "string" },
      },
      strict: true,
    });
  } catch (error) {
    usage((error as Error).message);
  }
})();

function integer(name: keyof typeof args, min: number): number {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < min) usage(`--${name} must be an integer ≥ ${min}`);
  return value;
}
const settings = {
  budget: integer("budget", 1),
  perRound: integer("per-round", 1),
  seed: integer("seed", 0),
  workers: integer("workers", 1),
  timeoutMs: integer("timeout-min", 1) * 60_000,
};
const strategies = (args.strategies as string).split(",").filter(Boolean);
/** The recipe every campaign trains with (the train evaluator's defaults for the rest). */
const recipe = {
  kind: "train",
  dataset: "fashion-mnist",
  epochs: integer("epochs", 1),
  trainSamples: integer("train-samples", 1),
  cellsPerStage: integer("cells", 1),
  channels: integer("channels", 1),
};

const log = (message: string) => console.error(`[fashion-search] ${message}`);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface EvaluationItem {
  architectureId: string;
  architecture: string;
  validationAccuracy: number;
  testAccuracy: number | null;
  cached: boolean;
}

/** One strategy's campaign, as measured. */
interface StrategyRun {
  asked: string;
  ran: string;
  /** Why `ran` differs from `asked`. */
  substitution?: string;
  status: string;
  evaluations: EvaluationItem[];
  cached: number;
  wallMs: number;
  backends: string[];
}

/** A running stack on a schema and queue prefix of its own. */
interface BenchStack {
  base: string;
  apiKey: string;
  database: TestDatabase;
  redis: TestQueues;
  stop(): Promise<void>;
}

async function startStack(label: string): Promise<BenchStack> {
  const database = await createTestDatabase(`bench_fashion_${label.replace(/\W/g, "_")}`);
  const redis = await createTestQueues(`bench-fashion-${label}`);
  const apiKey = `nasvae_bench_${Math.random().toString(36).slice(2)}${Date.now()}`;
  const port = 3900 + Math.floor(Math.random() * 90);
  const stack = new LocalStack({
    env: {
      DATABASE_URL: database.url,
      REDIS_URL: redis.redisUrl,
      QUEUE_PREFIX: redis.prefix,
      PORT: String(port),
      API_KEYS: apiKey,
      LOG_LEVEL: "warn",
    },
    workers: settings.workers,
    onLine: (name, line) => {
      if (/"level":(50|60)/.test(line)) log(`${name}: ${line.slice(0, 300)}`);
    },
  });
  stack.start();
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/healthz`, 60_000);
  return {
    base,
    apiKey,
    database,
    redis,
    async stop() {
      await stack.stop();
      await redis.cleanup();
      await database.drop();
    },
  };
}

async function post(stack: BenchStack, path: string, body: object): Promise<Response> {
  return fetch(`${stack.base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${stack.apiKey}` },
    body: JSON.stringify(body),
  });
}

async function runStrategy(kind: string): Promise<StrategyRun> {
  const stack = await startStack(kind);
  try {
    const datasets = (await (
      await fetch(`${stack.base}/datasets`, {
        headers: { authorization: `Bearer ${stack.apiKey}` },
      })
    ).json()) as { items: { name: string; available: boolean; description: string }[] };
    const fashion = datasets.items.find((item) => item.name === "fashion-mnist");
    if (!fashion?.available) {
      throw new Error(
        `fashion-mnist is not available to this stack: ${fashion?.description ?? "not listed"}`,
      );
    }
    const body = (strategy: string) => ({
      name: `fashion-search ${strategy}`,
      searchSpace: "nas-bench-201",
      evaluator: recipe,
      strategy: { kind: strategy },
      budget: { evaluations: settings.budget, perRound: settings.perRound },
      seed: settings.seed,
    });
    let ran = kind;
    let substitution: string | undefined;
    let created = await post(stack, "/campaigns", body(kind));
    if (created.status === 400 && kind !== "evolution") {
      substitution = `${kind} refused (${((await created.json()) as { message?: string }).message}); evolution ran instead`;
      log(substitution);
      ran = "evolution";
      created = await post(stack, "/campaigns", body(ran));
    }
    if (created.status !== 201) {
      throw new Error(`POST /campaigns answered ${created.status}: ${await created.text()}`);
    }
    const { id } = (await created.json()) as { id: string };
    const started = Date.now();
    let campaign: { status: string; error: string | null; progress: { evaluations: number } };
    let shown = -1;
    for (;;) {
      campaign = (await (await fetch(`${stack.base}/campaigns/${id}`)).json()) as typeof campaign;
      if (campaign.progress.evaluations !== shown) {
        shown = campaign.progress.evaluations;
        log(
          `${ran}: ${shown}/${settings.budget} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
        );
      }
      if (!["queued", "running"].includes(campaign.status)) break;
      if (Date.now() - started > settings.timeoutMs) {
        log(`${ran}: over ${settings.timeoutMs / 60_000} min, cancelling`);
        await post(stack, `/campaigns/${id}/cancel`, {});
      }
      await sleep(2000);
    }
    const wallMs = Date.now() - started;
    if (campaign.error) log(`${ran}: ${campaign.status}: ${campaign.error}`);
    const page = await fetch(`${stack.base}/campaigns/${id}/evaluations?limit=1000`);
    const { items } = (await page.json()) as { items: EvaluationItem[] };
    const stored = await stack.database.db.evaluation.findMany({ select: { metrics: true } });
    const backends = [
      ...new Set(
        stored.map((row) => {
          const metrics = row.metrics as { backend?: string; threads?: number };
          return `${metrics.backend ?? "?"}${metrics.threads ? ` (${metrics.threads} thread${metrics.threads === 1 ? "" : "s"})` : ""}`;
        }),
      ),
    ];
    return {
      asked: kind,
      ran,
      ...(substitution ? { substitution } : {}),
      status: campaign.status,
      evaluations: items,
      cached: items.filter((item) => item.cached).length,
      wallMs,
      backends,
    };
  } finally {
    await stack.stop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The row of one run: the cell picked by validation, against the median cell evaluated. */
function summarise(run: StrategyRun) {
  const items = run.evaluations;
  const picked = items.reduce<EvaluationItem | undefined>(
    (best, item) =>
      best === undefined || item.validationAccuracy > best.validationAccuracy ? item : best,
    undefined,
  );
  const tests = items.map((item) => item.testAccuracy ?? Number.NaN);
  const hours = run.wallMs / 3_600_000;
  return {
    strategy: run.ran === run.asked ? run.ran : `${run.ran} (for ${run.asked})`,
    status: run.status,
    evaluations: items.length,
    pickedValidation: picked?.validationAccuracy ?? Number.NaN,
    pickedTest: picked?.testAccuracy ?? Number.NaN,
    bestTest: Math.max(...tests),
    medianValidation: median(items.map((item) => item.validationAccuracy)),
    medianTest: median(tests),
    wallMinutes: run.wallMs / 60_000,
    evaluationsPerHour: (items.length - run.cached) / hours,
    backends: run.backends.join(", "),
    picked: picked?.architecture ?? "",
  };
}

// Each stack process adds an exit listener (LocalStack kills its children when this one exits).
process.setMaxListeners(10 + strategies.length * (settings.workers + 2));
const runs: StrategyRun[] = [];
const benchStarted = Date.now();
for (const kind of strategies) {
  log(`${kind}: fresh stack, ${settings.workers} workers, budget ${settings.budget}`);
  runs.push(await runStrategy(kind));
}

const rows = runs.map(summarise);
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "-");
const lines = [
  `Fashion-MNIST search on the local stack: budget ${settings.budget} (rounds of ${settings.perRound}), seed ${settings.seed}, ${settings.workers} worker processes, recipe ${JSON.stringify(recipe)}; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), load average at the end ${os.loadavg()[0]?.toFixed(1)}; commit ${gitDescription()}; ${((Date.now() - benchStarted) / 60_000).toFixed(1)} min in all.`,
  "",
  "| strategy | evaluations | picked: validation / test % | best test % evaluated | median cell: validation / test % | picked − median test | wall time | evaluations / hour | backend |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ...rows.map(
    (row) =>
      `| ${row.strategy}${row.status === "completed" ? "" : ` (${row.status})`} | ${row.evaluations} | ${f2(row.pickedValidation)} / ${f2(row.pickedTest)} | ${f2(row.bestTest)} | ${f2(row.medianValidation)} / ${f2(row.medianTest)} | ${f2(row.pickedTest - row.medianTest)} | ${row.wallMinutes.toFixed(1)} min | ${row.evaluationsPerHour.toFixed(0)} | ${row.backends} |`,
  ),
  "",
  "Picked: the cell of best validation accuracy (5,000 held-out training images), the one the search returns; test: the 10,000 test images. Chance is 10 %.",
  ...rows.map((row) => `- ${row.strategy} picked \`${row.picked}\``),
  ...runs.filter((run) => run.substitution).map((run) => `- ${run.substitution}`),
  ...runs
    .filter((run) => run.cached > 0)
    .map((run) => `- ${run.ran}: ${run.cached} answered from the cache`),
  "",
  `Command: npx tsx bench/fashion-search.ts ${process.argv.slice(2).map(shellQuote).join(" ")}`.trimEnd(),
];
const report = lines.join("\n");
console.log(report);

const out = resolve(
  args.out ??
    `${ROOT}bench/results/fashion-search-${new Date().toISOString().replace(/[:.]/g, "-")}.json`,
);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ settings, recipe, runs, rows, report }, null, 2)}\n`);
log(`raw figures: ${out}`);
process.exit(runs.every((run) => run.status === "completed") ? 0 : 1);
