/**
 * NAS-Bench-201 CIFAR-10 search benchmark: runs each strategy for many seeds through the
 * in-process campaign driver (bench/lib/run-campaign.ts, the coordinator's way of driving a
 * Strategy) and prints one markdown table. See bench/README.md.
 *
 *   npx tsx bench/search.ts [--strategies random,evolution,graph-vae] [--seeds 30]
 *     [--budget 150] [--per-round 10] [--jobs 2] [--lambda 0.5] [--first-seed 0]
 *     [--no-prefix-check] [--out bench/results/search-<timestamp>.json]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { nasBench201SearchSpace } from "@nasvae/search-space";
import { createStrategy, type StrategySpec, StrategySpecSchema } from "@nasvae/strategies";
import Value from "typebox/value";
import { nb201Cifar10Reference } from "./lib/nb201.ts";
import { type CampaignOutcome, type CampaignTask, runCampaignsInChildren } from "./lib/pool.ts";
import { gitDescription, shellQuote } from "./lib/provenance.ts";
import type { BenchStrategySpec, CampaignRun } from "./lib/run-campaign.ts";
import {
  hypervolumeRatioAfter,
  mean,
  median,
  reachesOptimum,
  reportedAfter,
  sampleStd,
} from "./lib/search-metrics.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHECKPOINTS = [25, 50, 100, 150];
const CODE_PATH = "in-process driver calling the same Strategy implementations as the coordinator";

function usage(message: string): never {
  console.error(`bench/search.ts: ${message}`);
  console.error(
    "usage: npx tsx bench/search.ts [--strategies random,evolution,graph-vae] [--seeds 30] [--budget 150] [--per-round 10] [--jobs 2] [--lambda 0] [--first-seed 0] [--no-prefix-check] [--out FILE]",
  );
  process.exit(2);
}

function integerOption(value: string, name: string, min: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) usage(`--${name} must be an integer ≥ ${min}`);
  return number;
}

const { values: args } = (() => {
  try {
    return parseArgs({
      options: {
        strategies: { type: "string", default: "random,evolution,graph-vae" },
        seeds: { type: "string", default: "30" },
        budget: { type: "string", default: "150" },
        "per-round": { type: "string", default: "10" },
        jobs: { type: "string", default: "2" },
        lambda: { type: "string", default: "0" },
        "first-seed": { type: "string", default: "0" },
        "no-prefix-check": { type: "boolean", default: false },
        out: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
})();
if (args.help) usage("help");

const kinds = [
  ...new Set(
    args.strategies
      .split(",")
      .map((kind) => kind.trim())
      .filter(Boolean),
  ),
];
if (kinds.length === 0) usage("--strategies names no strategy");
const seeds = integerOption(args.seeds, "seeds", 1);
const budget = integerOption(args.budget, "budget", 1);
const roundSize = integerOption(args["per-round"], "per-round", 1);
const jobs = integerOption(args.jobs, "jobs", 1);
const firstSeed = integerOption(args["first-seed"], "first-seed", 0);
const lambda = Number(args.lambda);
if (!Number.isFinite(lambda) || lambda < 0) usage("--lambda must be a number ≥ 0");
const checkpoints = [...CHECKPOINTS.filter((n) => n < budget), budget];
const startedAt = new Date();

// ---------------------------------------------------------------------------------------------
// Strategies: the spec each kind runs with, or why it is skipped.

interface StrategyPlan {
  kind: string;
  spec: BenchStrategySpec;
  lambdaApplied: boolean;
  skipped?: string;
}

function planStrategy(kind: string): StrategyPlan {
  const base: BenchStrategySpec = { kind };
  let spec = base;
  let lambdaApplied = false;
  if (lambda > 0) {
    const withLambda: BenchStrategySpec = { kind, lambda };
    if (Value.Check(StrategySpecSchema, withLambda)) {
      spec = withLambda;
      lambdaApplied = true;
    }
  }
  try {
    createStrategy(spec as unknown as StrategySpec, nasBench201SearchSpace);
  } catch (error) {
    return {
      kind,
      spec,
      lambdaApplied,
      skipped: error instanceof Error ? error.message : String(error),
    };
  }
  return { kind, spec, lambdaApplied };
}

const plans = kinds.map(planStrategy);
const running = plans.filter((plan) => plan.skipped === undefined);

// ---------------------------------------------------------------------------------------------
// Campaigns: (strategy, seed) for every seed, plus the prefix checks on the first seed.

const prefixBudgets = args["no-prefix-check"] ? [] : checkpoints.filter((n) => n < budget);
const tasks: CampaignTask[] = [];
for (let s = 0; s < seeds; s += 1) {
  for (const plan of running) {
    tasks.push({
      id: tasks.length,
      strategySpec: plan.spec,
      seed: firstSeed + s,
      budget,
      roundSize,
    });
  }
}
const mainTaskCount = tasks.length;
for (const plan of running) {
  for (const n of prefixBudgets) {
    tasks.push({
      id: tasks.length,
      strategySpec: plan.spec,
      seed: firstSeed,
      budget: n,
      roundSize,
    });
  }
}

console.error(
  `search bench: ${running.length} strategies × ${seeds} seeds (+${tasks.length - mainTaskCount} prefix checks), budget ${budget}, ${roundSize} per round, ${jobs} jobs`,
);
for (const plan of plans) {
  if (plan.skipped) console.error(`  skipped ${plan.kind}: ${plan.skipped}`);
}
const reference = await nb201Cifar10Reference();
const benchStarted = performance.now();
const outcomes = await runCampaignsInChildren(tasks, jobs, (outcome, done, total) => {
  const { task } = outcome;
  const status = outcome.error ? `FAILED: ${outcome.error.split("\n")[0]}` : "ok";
  console.error(
    `  [${done}/${total}] ${task.strategySpec.kind} seed ${task.seed} budget ${task.budget}: ${(outcome.elapsedMs / 1000).toFixed(2)} s ${status}`,
  );
});
const benchWallMs = performance.now() - benchStarted;

// ---------------------------------------------------------------------------------------------
// Metrics.

interface StrategySummary {
  kind: string;
  spec: BenchStrategySpec;
  lambdaApplied: boolean;
  runs: number;
  failed: { seed: number; error: string }[];
  checkpoints: {
    n: number;
    reported: { mean: number; std: number; median: number };
    reachedOptimum: number;
    hypervolumeRatio: { mean: number; std: number };
  }[];
  roundWallMs: number;
  roundProposeMs: number;
  campaignWallMs: number;
  prefixChecks: { n: number; identical: boolean | null; note?: string }[];
}

const sameTask = (outcome: CampaignOutcome, plan: StrategyPlan) =>
  outcome.task.strategySpec === plan.spec;
const mainOutcomes = outcomes.filter((outcome) => outcome.task.id < mainTaskCount);

function summarise(plan: StrategyPlan): StrategySummary {
  const mine = mainOutcomes.filter((outcome) => sameTask(outcome, plan));
  const runs = mine.flatMap((outcome) => (outcome.run ? [outcome.run] : []));
  const failed = mine.flatMap((outcome) =>
    outcome.error ? [{ seed: outcome.task.seed, error: outcome.error }] : [],
  );
  const rounds = runs.flatMap((run) => run.rounds);
  const firstRun = runs.find((run) => run.seed === firstSeed);
  const prefixChecks = outcomes
    .filter((outcome) => outcome.task.id >= mainTaskCount && sameTask(outcome, plan))
    .map((outcome) => {
      const n = outcome.task.budget;
      if (!outcome.run || !firstRun) {
        return { n, identical: null, note: outcome.error?.split("\n")[0] ?? "main run failed" };
      }
      const short = outcome.run.evaluations.map((evaluation) => evaluation.archString);
      const prefix = firstRun.evaluations.slice(0, n).map((evaluation) => evaluation.archString);
      return { n, identical: short.join("\n") === prefix.join("\n") };
    });
  return {
    kind: plan.kind,
    spec: plan.spec,
    lambdaApplied: plan.lambdaApplied,
    runs: runs.length,
    failed,
    checkpoints: checkpoints.map((n) => {
      const reported = runs.flatMap((run) => {
        const best = reportedAfter(run.evaluations, n);
        return best ? [best.testAccuracy] : [];
      });
      const ratios = runs.map((run) => hypervolumeRatioAfter(run.evaluations, n, reference));
      return {
        n,
        reported: { mean: mean(reported), std: sampleStd(reported), median: median(reported) },
        reachedOptimum: reported.filter((accuracy) => reachesOptimum(accuracy, reference)).length,
        hypervolumeRatio: { mean: mean(ratios), std: sampleStd(ratios) },
      };
    }),
    roundWallMs: mean(rounds.map((round) => round.wallMs)),
    roundProposeMs: mean(rounds.map((round) => round.proposeMs)),
    campaignWallMs: mean(runs.map((run) => run.wallMs)),
    prefixChecks,
  };
}

const summaries = running.map(summarise);

// ---------------------------------------------------------------------------------------------
// Report.

const fixed = (value: number, digits: number) =>
  Number.isFinite(value) ? value.toFixed(digits) : "—";
const duration = (ms: number) =>
  !Number.isFinite(ms) ? "—" : ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`;
const percent = (count: number, of: number) =>
  of === 0 ? "—" : `${count}/${of} (${Math.round((100 * count) / of)} %)`;

const command = `npx tsx bench/search.ts ${process.argv.slice(2).map(shellQuote).join(" ")}`.trim();
const cpus = os.cpus();
const machine = `${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${os.platform()} ${os.release()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`;
const { optimum } = reference;

const lines: string[] = [];
lines.push("## NAS-Bench-201 CIFAR-10 search benchmark", "");
lines.push(`- command: \`${command}\``);
lines.push(`- date: ${startedAt.toISOString()}`);
lines.push(`- machine: ${machine}`);
lines.push(`- node: ${process.version}`);
lines.push(`- commit: ${gitDescription()}`);
lines.push(
  `- code path: ${CODE_PATH} (bench/lib/run-campaign.ts: createStrategy from @nasvae/strategies, round k seeded with roundSeed(seed, k) from apps/coordinator/src/round-seed.ts, count = min(per-round, budget − done), state handed from round to round; scores from the workers' evaluator, NasBench201TabularEvaluator("cifar10")); no database, queues or worker processes`,
);
lines.push(
  `- campaigns: seeds ${firstSeed}–${firstSeed + seeds - 1} for each strategy, budget ${budget} evaluations, ${roundSize} per round, ${jobs} child processes, ${duration(benchWallMs)} in all`,
);
lines.push(
  `- table: ${relative(ROOT, reference.tablePath)} (sha256 ${reference.tableSha256.slice(0, 12)}…, ${reference.architectures} architectures); optimum by validation accuracy: \`${optimum.archString}\`, validation ${optimum.validationAccuracy.toFixed(2)} %, test ${optimum.testAccuracy.toFixed(2)} %${optimum.tiedOnValidation > 1 ? ` (${optimum.tiedOnValidation} tied)` : ""}; highest test accuracy in the table ${reference.maxTestAccuracy.toFixed(2)} %`,
);
lines.push("");

if (summaries.length > 0) {
  const header = ["", ...summaries.map((summary) => summary.kind)];
  const rows: string[][] = [];
  const row = (label: string, cell: (summary: StrategySummary) => string) =>
    rows.push([label, ...summaries.map(cell)]);
  row("spec", (summary) => `\`${JSON.stringify(summary.spec)}\``);
  row("runs completed", (summary) => `${summary.runs}/${seeds}`);
  summaries[0]?.checkpoints.forEach((checkpoint, i) => {
    const at = (summary: StrategySummary) => summary.checkpoints[i] ?? checkpoint;
    const n = checkpoint.n;
    row(`test acc. @${n}, mean ± std (%)`, (summary) => {
      const { reported } = at(summary);
      return `${fixed(reported.mean, 2)} ± ${fixed(reported.std, 2)}`;
    });
    row(`test acc. @${n}, median (%)`, (summary) => fixed(at(summary).reported.median, 2));
    row(`reached optimum @${n}`, (summary) => percent(at(summary).reachedOptimum, summary.runs));
  });
  row(`HV ratio @${budget}, mean ± std`, (summary) => {
    const last = summary.checkpoints.at(-1);
    return last
      ? `${fixed(last.hypervolumeRatio.mean, 4)} ± ${fixed(last.hypervolumeRatio.std, 4)}`
      : "—";
  });
  row("wall per round, mean", (summary) => duration(summary.roundWallMs));
  row("of which propose, mean", (summary) => duration(summary.roundProposeMs));
  row("wall per campaign, mean", (summary) => duration(summary.campaignWallMs));
  lines.push(`| ${header.join(" | ")} |`);
  lines.push(`|${header.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`);
  for (const cells of rows) lines.push(`| ${cells.join(" | ")} |`);
  lines.push("");
} else {
  lines.push("No strategy ran.", "");
}

lines.push(
  `- Test acc. @n: cifar10_test_acc of the best-by-validation architecture (cifar10_valid_acc, the only accuracy the strategy sees) among the first n evaluations of a run; mean ± sample std and median over the runs. Reached optimum: runs whose reported test accuracy is that of the optimum (${optimum.testAccuracy.toFixed(2)} %), computed from the table.`,
);
const exact = checkpoints.filter((n) => n < budget && n % roundSize === 0);
const partial = checkpoints.filter((n) => n < budget && n % roundSize !== 0);
if (exact.length > 0 || partial.length > 0) {
  lines.push(
    `- Every column is one ${budget}-evaluation run per seed; the smaller budgets are read from its prefix.${exact.length > 0 ? ` @${exact.join(", @")}: identical to a run with that budget, because rounds have the same size (${roundSize}) up to there, so the strategy sees the same requests.` : ""}${partial.length > 0 ? ` @${partial.join(", @")}: not a multiple of ${roundSize}, so its last round was asked for ${roundSize} candidates where a run with that budget asks for fewer; it equals such a run only if the strategy's first picks do not depend on the count asked (see the prefix check), otherwise it is an anytime figure.` : ""}`,
  );
}
for (const summary of summaries) {
  for (const check of summary.prefixChecks) {
    lines.push(
      `- Prefix check, ${summary.kind} seed ${firstSeed}: a budget-${check.n} run ${check.identical === null ? `could not be compared (${check.note})` : check.identical ? "proposed exactly the first" : "DIFFERS from the first"} ${check.n} architectures of the ${budget} run.`,
    );
  }
}
lines.push(
  `- HV ratio: hypervolume of the (validation accuracy ↑, FLOPs ↓) points found by ${budget} evaluations over that of all ${reference.architectures} architectures (true front: ${reference.trueFrontSize} points). Both normalised to [0, 1] by the table's range (validation ${reference.bounds.accuracyMin.toFixed(2)}–${reference.bounds.accuracyMax.toFixed(2)} %, FLOPs ${(reference.bounds.flopsMin / 1e6).toFixed(2)}–${(reference.bounds.flopsMax / 1e6).toFixed(2)} M); reference point (accuracy 0, FLOPs 1).`,
);
lines.push(
  lambda > 0
    ? `- --lambda ${lambda}: ${summaries.map((summary) => `${summary.kind} ${summary.lambdaApplied ? "got it" : "ran without it (its spec schema does not accept lambda)"}`).join("; ") || "no strategy ran"}.`
    : "- --lambda 0: no strategy was given a FLOPs weight; the HV ratio measures the accuracy-only searches.",
);
lines.push(
  "- Wall times: per round = propose + score its candidates from the table, in the child process; per campaign = strategy creation plus all rounds. With more jobs than idle cores they include contention.",
);
for (const plan of plans) {
  if (plan.skipped) lines.push(`- Skipped ${plan.kind}: ${plan.skipped}`);
}
for (const summary of summaries) {
  for (const failure of summary.failed) {
    lines.push(`- ${summary.kind} seed ${failure.seed} failed: ${failure.error.split("\n")[0]}`);
  }
}

const outPath = resolve(
  args.out ??
    resolve(ROOT, "bench/results", `search-${startedAt.toISOString().replaceAll(":", "-")}.json`),
);
mkdirSync(dirname(outPath), { recursive: true });
const runOf = (outcome: CampaignOutcome): CampaignRun | { error: string } =>
  outcome.run ?? { error: outcome.error ?? "unknown" };
writeFileSync(
  outPath,
  JSON.stringify({
    command,
    date: startedAt.toISOString(),
    machine: {
      cpu: cpus[0]?.model,
      cores: cpus.length,
      platform: os.platform(),
      release: os.release(),
    },
    node: process.version,
    commit: gitDescription(),
    codePath: CODE_PATH,
    settings: { strategies: kinds, seeds, firstSeed, budget, roundSize, jobs, lambda, checkpoints },
    reference,
    strategies: plans,
    summaries,
    runs: mainOutcomes.map((outcome) => ({ task: outcome.task, ...runOf(outcome) })),
    prefixRuns: outcomes
      .filter((outcome) => outcome.task.id >= mainTaskCount)
      .map((outcome) => ({ task: outcome.task, ...runOf(outcome) })),
  }),
);
const shownOut = relative(ROOT, outPath).startsWith("..") ? outPath : relative(ROOT, outPath);
lines.push(`- Raw per-run JSON: ${shownOut}`);

console.log(lines.join("\n"));
