/**
 * Search benchmark: runs each strategy setting for many seeds through the in-process campaign
 * driver (bench/lib/run-campaign.ts, the coordinator's way of driving a Strategy) and prints one
 * markdown table. NAS-Bench-201 CIFAR-10 by default (the only target settings may be tuned on);
 * --dataset cifar100|imagenet16-120 for the generalisation check, --space enas-macro-6 for D-VAE's
 * ENAS-6 table. See bench/README.md.
 *
 *   npx tsx bench/search.ts [--strategies random,evolution,local-search,graph-vae,...]
 *     [--space nas-bench-201|enas-macro-6] [--dataset cifar10|cifar100|imagenet16-120]
 *     [--seeds 30] [--budget 150] [--per-round 10] [--checkpoints 50,100,150] [--jobs 2]
 *     [--lambda 0] [--objective accuracy|pareto] [--first-seed 0]
 *     [--baseline local-search (nsga2 with --objective pareto)] [--no-prefix-check]
 *     [--start-before 2026-12-07T02:50:00Z] [--out bench/results/search-<timestamp>.json]
 */

import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type StrategySpec, StrategySpecSchema } from "@nasvae/contracts";
import { createStrategy } from "@nasvae/strategies";
import Value from "typebox/value";
import { type Enas6Reference, enas6Reference } from "./lib/enas6.ts";
import {
  isNb201BenchDataset,
  NB201_BENCH_DATASETS,
  type Nb201Reference,
  nb201ParetoReference,
  nb201Reference,
} from "./lib/nb201.ts";
import {
  frontFractionAfter,
  medianHypervolumeRatioAfter,
  type ParetoReference,
} from "./lib/pareto-metrics.ts";
import { type CampaignOutcome, type CampaignTask, runCampaignsInChildren } from "./lib/pool.ts";
import { gitDescription, shellQuote } from "./lib/provenance.ts";
import type { BenchStrategySpec, CampaignEvaluation, CampaignRun } from "./lib/run-campaign.ts";
import {
  hypervolumeRatioAfter,
  type MeanWithError,
  mean,
  meanWithError,
  median,
  pairedDifference,
  reportedAfter,
  sampleStd,
} from "./lib/search-metrics.ts";
import { describeTarget, resolveSearchTarget, type SearchTarget } from "./lib/search-target.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CODE_PATH = "in-process driver calling the same Strategy implementations as the coordinator";

/**
 * The strategy settings the bench knows, by name: the five strategies with their defaults, and
 * two ablations of graph-vae (the predictor's choice replaced by a random pick from the same
 * decoded pool; no gradient steps in the latent space).
 */
const BENCH_STRATEGIES: Readonly<Record<string, BenchStrategySpec>> = {
  random: { kind: "random" },
  evolution: { kind: "evolution" },
  "local-search": { kind: "local-search" },
  nsga2: { kind: "nsga2" },
  "graph-vae": { kind: "graph-vae" },
  "graph-vae:random-pick": { kind: "graph-vae", selection: "random" },
  "graph-vae:no-steps": { kind: "graph-vae", latentSteps: 0, perturbedSteps: 0 },
  "graph-vae:cost-feature": { kind: "graph-vae", costFeature: true, rankingWeight: 1 },
  "graph-vae:ranking": { kind: "graph-vae", rankingWeight: 1 },
  "graph-vae:decoded-only": { kind: "graph-vae", neighbourCentres: 0 },
  "graph-vae:neighbours-3": { kind: "graph-vae", neighbourCentres: 3 },
  "graph-vae:gp-ei": { kind: "graph-vae", acquisition: "gp-ei" },
  "graph-vae:residual-gp-ei": { kind: "graph-vae", acquisition: "residual-gp-ei" },
};
const DEFAULT_STRATEGIES = Object.keys(BENCH_STRATEGIES).join(",");
const SPACES = ["nas-bench-201", "enas-macro-6"] as const;
const OBJECTIVES = ["accuracy", "pareto"] as const;
/** The default --baseline for each --objective. */
const DEFAULT_BASELINE = { accuracy: "local-search", pareto: "nsga2" } as const;

function usage(message: string): never {
  console.error(`bench/search.ts: ${message}`);
  console.error(
    `usage: npx tsx bench/search.ts [--strategies ${DEFAULT_STRATEGIES}] [--space ${SPACES.join("|")}] [--dataset ${Object.keys(NB201_BENCH_DATASETS).join("|")}] [--seeds 30] [--budget 150] [--per-round 10] [--checkpoints 50,100,150] [--jobs 2] [--lambda 0] [--objective ${OBJECTIVES.join("|")}] [--first-seed 0] [--baseline local-search (pareto: nsga2)] [--no-prefix-check] [--start-before ISO-TIME] [--out FILE]`,
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
        strategies: { type: "string", default: DEFAULT_STRATEGIES },
        space: { type: "string", default: "nas-bench-201" },
        dataset: { type: "string", default: "cifar10" },
        seeds: { type: "string", default: "30" },
        budget: { type: "string", default: "150" },
        "per-round": { type: "string", default: "10" },
        checkpoints: { type: "string", default: "50,100,150" },
        jobs: { type: "string", default: "2" },
        lambda: { type: "string", default: "0" },
        objective: { type: "string", default: "accuracy" },
        "first-seed": { type: "string", default: "0" },
        // Default by objective (DEFAULT_BASELINE).
        baseline: { type: "string" },
        "no-prefix-check": { type: "boolean", default: false },
        // No default: without it every campaign runs.
        "start-before": { type: "string" },
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

const names = [
  ...new Set(
    args.strategies
      .split(",")
      .map((name) => name.trim())
      .filter(Boolean),
  ),
];
if (names.length === 0) usage("--strategies names no strategy");
for (const name of names) {
  if (!Object.hasOwn(BENCH_STRATEGIES, name)) {
    usage(`unknown strategy "${name}" (known: ${DEFAULT_STRATEGIES})`);
  }
}
const target: SearchTarget = (() => {
  if (args.space === "enas-macro-6") {
    if (args.dataset !== "cifar10") usage("--space enas-macro-6 has CIFAR-10 only");
    return { space: "enas-macro-6" };
  }
  if (args.space !== "nas-bench-201") usage(`--space must be one of ${SPACES.join(", ")}`);
  if (!isNb201BenchDataset(args.dataset)) {
    usage(`--dataset must be one of ${Object.keys(NB201_BENCH_DATASETS).join(", ")}`);
  }
  return { space: "nas-bench-201", dataset: NB201_BENCH_DATASETS[args.dataset] };
})();
const seeds = integerOption(args.seeds, "seeds", 1);
const budget = integerOption(args.budget, "budget", 1);
const roundSize = integerOption(args["per-round"], "per-round", 1);
const jobs = integerOption(args.jobs, "jobs", 1);
const firstSeed = integerOption(args["first-seed"], "first-seed", 0);
const lambda = Number(args.lambda);
if (!Number.isFinite(lambda) || lambda < 0) usage("--lambda must be a number ≥ 0");
const requestedCheckpoints = args.checkpoints
  .split(",")
  .map((text) => integerOption(text.trim(), "checkpoints", 1));
const checkpoints = [...new Set([...requestedCheckpoints.filter((n) => n < budget), budget])].sort(
  (a, b) => a - b,
);
const objective = (OBJECTIVES as readonly string[]).includes(args.objective)
  ? (args.objective as (typeof OBJECTIVES)[number])
  : usage(`--objective must be one of ${OBJECTIVES.join(", ")}`);
if (objective === "pareto" && target.space !== "nas-bench-201") {
  usage("--objective pareto needs --space nas-bench-201 (the true front comes from its table)");
}
const baselineName = args.baseline ?? DEFAULT_BASELINE[objective];
const startBefore =
  args["start-before"] === undefined ? undefined : Date.parse(args["start-before"]);
if (startBefore !== undefined && !Number.isFinite(startBefore)) {
  usage("--start-before must be a date and time, e.g. 2026-12-07T02:50:00Z");
}
const startedAt = new Date();
const { space } = await resolveSearchTarget(target);

// ---------------------------------------------------------------------------------------------
// Strategies: the spec each name runs with, or why it is skipped.

interface StrategyPlan {
  name: string;
  spec: BenchStrategySpec;
  lambdaApplied: boolean;
  /** With --objective pareto: whether the spec got `objective: "pareto"` (its schema accepts it). */
  objectiveApplied: boolean;
  skipped?: string;
}

function planStrategy(name: string): StrategyPlan {
  const base = BENCH_STRATEGIES[name] ?? { kind: name };
  let spec = base;
  let lambdaApplied = false;
  if (lambda > 0) {
    const withLambda: BenchStrategySpec = { ...base, lambda };
    if (Value.Check(StrategySpecSchema, withLambda)) {
      spec = withLambda;
      lambdaApplied = true;
    }
  }
  // Like --lambda: only where the kind's schema has the field (nsga2 is multi-objective as is).
  let objectiveApplied = false;
  if (objective === "pareto") {
    const withObjective: BenchStrategySpec = { ...spec, objective: "pareto" };
    if (Value.Check(StrategySpecSchema, withObjective)) {
      spec = withObjective;
      objectiveApplied = true;
    }
  }
  // The schema is what a campaign's spec must pass; createStrategy itself ignores unknown fields.
  if (!Value.Check(StrategySpecSchema, spec)) {
    const errors = [...Value.Errors(StrategySpecSchema, spec)]
      .map((error) => `${error.instancePath || "/"} ${error.message}`)
      .filter((message) => !message.includes('must match "else" schema'));
    return {
      name,
      spec,
      lambdaApplied,
      objectiveApplied,
      skipped: `spec not accepted by StrategySpecSchema (${errors.join("; ")})`,
    };
  }
  try {
    createStrategy(spec as unknown as StrategySpec, space);
  } catch (error) {
    return {
      name,
      spec,
      lambdaApplied,
      objectiveApplied,
      skipped: error instanceof Error ? error.message : String(error),
    };
  }
  return { name, spec, lambdaApplied, objectiveApplied };
}

const plans = names.map(planStrategy);
const running = plans.filter((plan) => plan.skipped === undefined);
const baseline = running.find((plan) => plan.name === baselineName);

// ---------------------------------------------------------------------------------------------
// Campaigns: (strategy, seed) for every seed, plus the prefix checks on the first seed.

const prefixBudgets = args["no-prefix-check"] ? [] : checkpoints.filter((n) => n < budget);
const tasks: CampaignTask[] = [];
for (let s = 0; s < seeds; s += 1) {
  for (const plan of running) {
    tasks.push({
      id: tasks.length,
      strategyName: plan.name,
      strategySpec: plan.spec,
      target,
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
      strategyName: plan.name,
      strategySpec: plan.spec,
      target,
      seed: firstSeed,
      budget: n,
      roundSize,
    });
  }
}

console.error(
  `search bench on ${describeTarget(target)}: ${running.length} strategies × ${seeds} seeds (+${tasks.length - mainTaskCount} prefix checks), budget ${budget}, ${roundSize} per round, ${jobs} jobs`,
);
for (const plan of plans) {
  if (plan.skipped) console.error(`  skipped ${plan.name}: ${plan.skipped}`);
}

/** What the runs are measured against, and which figure a run reports. */
type Reference =
  | { kind: "nas-bench-201"; nb201: Nb201Reference }
  | { kind: "enas-macro-6"; enas6: Enas6Reference };

const reference: Reference =
  target.space === "nas-bench-201"
    ? { kind: "nas-bench-201", nb201: await nb201Reference(target.dataset) }
    : { kind: "enas-macro-6", enas6: await enas6Reference() };
/** With --objective pareto (NAS-Bench-201 only): the table's true front and median cell. */
const pareto: ParetoReference | undefined =
  objective === "pareto" && target.space === "nas-bench-201"
    ? await nb201ParetoReference(target.dataset)
    : undefined;

/**
 * The figure a campaign reports after its first n evaluations: on NAS-Bench-201 the test accuracy
 * of its best-by-validation architecture; on ENAS-6 (no test figure) the best weight-sharing
 * accuracy found.
 */
function reportedFigure(evaluations: readonly CampaignEvaluation[], n: number): number | undefined {
  const best = reportedAfter(evaluations, n);
  if (!best) return undefined;
  return reference.kind === "nas-bench-201"
    ? (best.testAccuracy ?? undefined)
    : best.validationAccuracy;
}
const optimumFigure =
  reference.kind === "nas-bench-201"
    ? reference.nb201.optimum.testAccuracy
    : reference.enas6.optimum.validationAccuracy;
const optimumValidation =
  reference.kind === "nas-bench-201"
    ? reference.nb201.optimum.validationAccuracy
    : reference.enas6.optimum.validationAccuracy;

/**
 * Whether the first n evaluations contain the table's best-by-validation architecture (or one
 * tied with it). By validation, not by the reported figure: on ImageNet16-120 other cells have a
 * higher test accuracy than the validation optimum, and reporting one of them is no success of
 * the search.
 */
function foundOptimum(evaluations: readonly CampaignEvaluation[], n: number): boolean {
  const best = reportedAfter(evaluations, n);
  return best !== undefined && best.validationAccuracy >= optimumValidation - 1e-9;
}
const figureName = reference.kind === "nas-bench-201" ? "test acc." : "ws acc.";

const benchStarted = performance.now();
const outcomes = await runCampaignsInChildren(
  tasks,
  jobs,
  (outcome, done, total) => {
    if (outcome.notStarted) return;
    const { task } = outcome;
    const status = outcome.error ? `FAILED: ${outcome.error.split("\n")[0]}` : "ok";
    console.error(
      `  [${done}/${total}] ${task.strategyName} seed ${task.seed} budget ${task.budget}: ${(outcome.elapsedMs / 1000).toFixed(2)} s ${status}`,
    );
  },
  () => startBefore === undefined || Date.now() < startBefore,
);
const notStarted = outcomes.filter((outcome) => outcome.notStarted);
const benchWallMs = performance.now() - benchStarted;

// ---------------------------------------------------------------------------------------------
// Metrics.

interface CheckpointSummary {
  n: number;
  reported: MeanWithError & { std: number; median: number };
  reachedOptimum: number;
  /** This strategy minus the baseline, paired by seed; null for the baseline itself or without one. */
  versusBaseline: MeanWithError | null;
  hypervolumeRatio: { mean: number; std: number } | null;
  /** With --objective pareto: front fraction and median-reference HV ratio, and vs the baseline. */
  pareto: {
    frontFraction: MeanWithError;
    frontFractionVersusBaseline: MeanWithError | null;
    hypervolume: MeanWithError;
    hypervolumeVersusBaseline: MeanWithError | null;
  } | null;
}

interface StrategySummary {
  name: string;
  spec: BenchStrategySpec;
  lambdaApplied: boolean;
  objectiveApplied: boolean;
  runs: number;
  failed: { seed: number; error: string }[];
  checkpoints: CheckpointSummary[];
  roundWallMs: number;
  roundProposeMs: number;
  campaignWallMs: number;
  prefixChecks: { n: number; identical: boolean | null; note?: string }[];
}

const mainOutcomes = outcomes.filter((outcome) => outcome.task.id < mainTaskCount);
/**
 * Seeds every running strategy completed: the figures are taken over these only, so that a time
 * limit (or a failure) that cut some strategies' seeds does not compare different seed sets.
 */
const commonSeeds = new Set(
  Array.from({ length: seeds }, (_, s) => firstSeed + s).filter((seed) =>
    running.every((plan) =>
      mainOutcomes.some(
        (outcome) =>
          outcome.task.strategyName === plan.name && outcome.task.seed === seed && outcome.run,
      ),
    ),
  ),
);
const runsOf = (plan: StrategyPlan) =>
  mainOutcomes
    .filter((outcome) => outcome.task.strategyName === plan.name)
    .flatMap((outcome) => (outcome.run && commonSeeds.has(outcome.run.seed) ? [outcome.run] : []));

/** A per-run metric at n, per seed. */
function metricBySeed(
  runs: readonly CampaignRun[],
  metric: (evaluations: readonly CampaignEvaluation[]) => number,
): Map<number, number> {
  return new Map(runs.map((run) => [run.seed, metric(run.evaluations)]));
}

/** Reported figure at n, per seed. */
function figuresBySeed(runs: readonly CampaignRun[], n: number): Map<number, number> {
  const bySeed = new Map<number, number>();
  for (const run of runs) {
    const figure = reportedFigure(run.evaluations, n);
    if (figure !== undefined) bySeed.set(run.seed, figure);
  }
  return bySeed;
}

function summarise(plan: StrategyPlan): StrategySummary {
  const mine = mainOutcomes.filter((outcome) => outcome.task.strategyName === plan.name);
  const runs = runsOf(plan);
  const baselineRuns = baseline && baseline !== plan ? runsOf(baseline) : undefined;
  const failed = mine.flatMap((outcome) =>
    outcome.error && !outcome.notStarted ? [{ seed: outcome.task.seed, error: outcome.error }] : [],
  );
  const rounds = runs.flatMap((run) => run.rounds);
  const firstRun = runs.find((run) => run.seed === firstSeed);
  const prefixChecks = outcomes
    .filter(
      (outcome) => outcome.task.id >= mainTaskCount && outcome.task.strategyName === plan.name,
    )
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
    name: plan.name,
    spec: plan.spec,
    lambdaApplied: plan.lambdaApplied,
    objectiveApplied: plan.objectiveApplied,
    runs: runs.length,
    failed,
    checkpoints: checkpoints.map((n): CheckpointSummary => {
      const bySeed = figuresBySeed(runs, n);
      const figures = [...bySeed.values()];
      const ratios =
        reference.kind === "nas-bench-201"
          ? runs.map((run) => hypervolumeRatioAfter(run.evaluations, n, reference.nb201))
          : null;
      return {
        n,
        reported: { ...meanWithError(figures), std: sampleStd(figures), median: median(figures) },
        reachedOptimum: runs.filter((run) => foundOptimum(run.evaluations, n)).length,
        versusBaseline: baselineRuns
          ? pairedDifference(bySeed, figuresBySeed(baselineRuns, n))
          : null,
        hypervolumeRatio: ratios ? { mean: mean(ratios), std: sampleStd(ratios) } : null,
        pareto: pareto ? paretoSummary(pareto, runs, baselineRuns, n) : null,
      };
    }),
    roundWallMs: mean(rounds.map((round) => round.wallMs)),
    roundProposeMs: mean(rounds.map((round) => round.proposeMs)),
    campaignWallMs: mean(runs.map((run) => run.wallMs)),
    prefixChecks,
  };
}

function paretoSummary(
  reference: ParetoReference,
  runs: readonly CampaignRun[],
  baselineRuns: readonly CampaignRun[] | undefined,
  n: number,
): NonNullable<CheckpointSummary["pareto"]> {
  const fraction = (r: readonly CampaignRun[]) =>
    metricBySeed(r, (evaluations) => frontFractionAfter(evaluations, n, reference));
  const hypervolume = (r: readonly CampaignRun[]) =>
    metricBySeed(r, (evaluations) => medianHypervolumeRatioAfter(evaluations, n, reference));
  const fractions = fraction(runs);
  const hypervolumes = hypervolume(runs);
  return {
    frontFraction: meanWithError([...fractions.values()]),
    frontFractionVersusBaseline: baselineRuns
      ? pairedDifference(fractions, fraction(baselineRuns))
      : null,
    hypervolume: meanWithError([...hypervolumes.values()]),
    hypervolumeVersusBaseline: baselineRuns
      ? pairedDifference(hypervolumes, hypervolume(baselineRuns))
      : null,
  };
}

const summaries = running.map(summarise);

// ---------------------------------------------------------------------------------------------
// Report.

const fixed = (value: number, digits: number) =>
  Number.isFinite(value) ? value.toFixed(digits) : "—";
const signed = (value: number, digits: number) =>
  Number.isFinite(value) ? `${value >= 0 ? "+" : "−"}${Math.abs(value).toFixed(digits)}` : "—";
const duration = (ms: number) =>
  !Number.isFinite(ms) ? "—" : ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`;
const percent = (count: number, of: number) =>
  of === 0 ? "—" : `${count}/${of} (${Math.round((100 * count) / of)} %)`;

const command = `npx tsx bench/search.ts ${process.argv.slice(2).map(shellQuote).join(" ")}`.trim();
const cpus = os.cpus();
const machine = `${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${os.platform()} ${os.release()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`;

const lines: string[] = [];
lines.push(`## ${describeTarget(target)} search benchmark`, "");
lines.push(`- command: \`${command}\``);
lines.push(`- date: ${startedAt.toISOString()}`);
lines.push(`- machine: ${machine}`);
lines.push(`- node: ${process.version}`);
lines.push(`- commit: ${gitDescription()}`);
lines.push(
  `- code path: ${CODE_PATH} (bench/lib/run-campaign.ts: createStrategy from @nasvae/strategies, proposeRound from @nasvae/strategies as the coordinator calls it: round k seeded with roundSeed(seed, k), count = min(per-round, budget − done), state handed from round to round; scores from the workers' evaluator, ${reference.kind === "nas-bench-201" ? `NasBench201TabularEvaluator(${JSON.stringify(reference.nb201.dataset)})` : "Enas6TabularEvaluator on enasSearchSpace restricted to the table (restrictToDomain)"}); no database, queues or worker processes`,
);
lines.push(
  `- campaigns: seeds ${firstSeed}–${firstSeed + seeds - 1} for each strategy (the same seeds for all), budget ${budget} evaluations, ${roundSize} per round, ${jobs} child processes, ${duration(benchWallMs)} in all`,
);
if (reference.kind === "nas-bench-201") {
  const { nb201 } = reference;
  const { optimum } = nb201;
  lines.push(
    `- table: ${relative(ROOT, nb201.tablePath)} (sha256 ${nb201.tableSha256.slice(0, 12)}…, ${nb201.architectures} architectures)${nb201.xValidTable ? ` and ${relative(ROOT, nb201.xValidTable.path)} (sha256 ${nb201.xValidTable.sha256.slice(0, 12)}…)` : ""}; search signal (validation) \`${nb201.validationSource}\`, reported (test) \`${nb201.testSource}\`; optimum by validation accuracy: \`${optimum.archString}\`, validation ${optimum.validationAccuracy.toFixed(2)} %, test ${(optimum.testAccuracy ?? Number.NaN).toFixed(2)} %${optimum.tiedOnValidation > 1 ? ` (${optimum.tiedOnValidation} tied)` : ""}; highest test accuracy in the table ${nb201.maxTestAccuracy.toFixed(2)} %`,
  );
} else {
  const { enas6 } = reference;
  lines.push(
    `- table: ${relative(ROOT, enas6.tablePath)} (sha256 ${enas6.tableSha256.slice(0, 12)}…, ${enas6.architectures} distinct architecture strings, ${space.size} isomorphism classes: the search's domain); search signal and reported figure: ws_acc × 100 (weight-sharing CIFAR-10 validation accuracy; the table has no test accuracy); best in the table ${enas6.optimum.validationAccuracy.toFixed(2)} % (${enas6.optimum.tiedOnValidation} architecture${enas6.optimum.tiedOnValidation > 1 ? "s" : ""})`,
  );
}
lines.push("");

if (summaries.length > 0) {
  const header = ["", ...summaries.map((summary) => summary.name)];
  const rows: string[][] = [];
  const row = (label: string, cell: (summary: StrategySummary) => string) =>
    rows.push([label, ...summaries.map(cell)]);
  row("spec", (summary) => `\`${JSON.stringify(summary.spec)}\``);
  row("runs in the figures", (summary) => `${summary.runs}/${seeds}`);
  const meanCell = (value: MeanWithError | undefined, digits: number) =>
    value ? `${fixed(value.mean, digits)} ± ${fixed(value.standardError, digits)}` : "—";
  const pairedCell = (value: MeanWithError | null | undefined, runs: number, digits: number) =>
    value
      ? `${signed(value.mean, digits)} ± ${fixed(value.standardError, digits)}${value.count < runs ? ` (${value.count} pairs)` : ""}`
      : "—";
  if (pareto) {
    row("objective", (summary) =>
      summary.objectiveApplied ? "`pareto`" : "as is (no `objective` in its schema)",
    );
  }
  checkpoints.forEach((n, i) => {
    if (!pareto) return;
    const at = (summary: StrategySummary) => summary.checkpoints[i]?.pareto;
    row(`true front found @${n}, mean ± s.e.m.`, (summary) =>
      meanCell(at(summary)?.frontFraction, 3),
    );
    if (baseline) {
      row(`front found − ${baseline.name} @${n}, paired mean ± s.e.m.`, (summary) =>
        pairedCell(at(summary)?.frontFractionVersusBaseline, summary.runs, 3),
      );
    }
    row(`HV ratio (median ref.) @${n}, mean ± s.e.m.`, (summary) =>
      meanCell(at(summary)?.hypervolume, 3),
    );
    if (baseline) {
      row(`HV ratio − ${baseline.name} @${n}, paired mean ± s.e.m.`, (summary) =>
        pairedCell(at(summary)?.hypervolumeVersusBaseline, summary.runs, 3),
      );
    }
  });
  checkpoints.forEach((n, i) => {
    if (pareto && n !== budget) return;
    const at = (summary: StrategySummary) => summary.checkpoints[i];
    row(`${figureName} @${n}, mean ± s.e.m. (%)`, (summary) => {
      const reported = at(summary)?.reported;
      return reported ? `${fixed(reported.mean, 2)} ± ${fixed(reported.standardError, 2)}` : "—";
    });
    row(`${figureName} @${n}, median (%)`, (summary) =>
      fixed(at(summary)?.reported.median ?? Number.NaN, 2),
    );
    row(`reached optimum @${n}`, (summary) =>
      percent(at(summary)?.reachedOptimum ?? 0, summary.runs),
    );
    if (baseline) {
      row(`− ${baseline.name} @${n}, paired mean ± s.e.m. (pp)`, (summary) => {
        const versus = at(summary)?.versusBaseline;
        return versus
          ? `${signed(versus.mean, 2)} ± ${fixed(versus.standardError, 2)}${versus.count < summary.runs ? ` (${versus.count} pairs)` : ""}`
          : "—";
      });
    }
  });
  if (reference.kind === "nas-bench-201") {
    row(`HV ratio @${budget}, mean ± std`, (summary) => {
      const hv = summary.checkpoints.at(-1)?.hypervolumeRatio;
      return hv ? `${fixed(hv.mean, 4)} ± ${fixed(hv.std, 4)}` : "—";
    });
  }
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

if (reference.kind === "nas-bench-201") {
  const { nb201 } = reference;
  lines.push(
    `- Test acc. @n: \`${nb201.testSource}\` of the best-by-validation architecture (\`${nb201.validationSource}\`, the only accuracy the strategy sees) among the first n evaluations of a run; mean ± standard error of the mean (s.e.m. = sample std / √runs) and median over the runs. Reached optimum: runs that evaluated the table's best-by-validation architecture (validation ${optimumValidation.toFixed(2)} %, test ${optimumFigure.toFixed(2)} %) within n.`,
  );
} else {
  lines.push(
    `- Ws acc. @n: the best ws_acc × 100 among the first n evaluations of a run (what a campaign on this table reports); mean ± s.e.m. (sample std / √runs) and median over the runs. Reached optimum: runs that found an architecture with the table's best, ${optimumFigure.toFixed(2)} %.`,
  );
}
if (baseline) {
  lines.push(
    `- − ${baseline.name}: per seed, this strategy's reported figure minus ${baseline.name}'s on the same seed, then mean ± s.e.m. of those differences (positive: better than ${baseline.name}). Seeds pair the runs: the same seed gives the same round-0 rng.`,
  );
} else {
  lines.push(`- No paired difference: the baseline "${baselineName}" did not run.`);
}
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
      `- Prefix check, ${summary.name} seed ${firstSeed}: a budget-${check.n} run ${check.identical === null ? `could not be compared (${check.note})` : check.identical ? "proposed exactly the first" : "DIFFERS from the first"} ${check.n} architectures of the ${budget} run.`,
    );
  }
}
if (reference.kind === "nas-bench-201") {
  const { nb201 } = reference;
  lines.push(
    `- HV ratio: hypervolume of the (validation accuracy ↑, FLOPs ↓) points found by ${budget} evaluations over that of all ${nb201.architectures} architectures (true front: ${nb201.trueFrontSize} points). Both normalised to [0, 1] by the table's range (validation ${nb201.bounds.accuracyMin.toFixed(2)}–${nb201.bounds.accuracyMax.toFixed(2)} %, FLOPs ${(nb201.bounds.flopsMin / 1e6).toFixed(2)}–${(nb201.bounds.flopsMax / 1e6).toFixed(2)} M); reference point (accuracy 0, FLOPs 1).`,
  );
}
if (pareto) {
  const { referencePoint, trueFront } = pareto;
  lines.push(
    `- True front found @n: the fraction of the ${trueFront.length} points of the true (validation accuracy ↑, FLOPs ↓) front that the first n evaluations found. True front: the distinct (validation accuracy, FLOPs) positions no row of the table dominates, over all ${pareto.rows} rows (${pareto.classes} isomorphism classes); isomorphic rows are separate training runs and count separately, and tied rows share a point. A point is found when the run evaluated one of its isomorphism classes (canonical hash), by whichever architecture string: a campaign evaluates one string per class, and which one decides only which training run of the same network the table returns (bench/lib/pareto-metrics.ts).`,
  );
  lines.push(
    `- HV ratio (median ref.) @n: hypervolume of the (validation accuracy, FLOPs) points of the first n evaluations above the median cell (validation ${referencePoint.validationAccuracy.toFixed(2)} %, FLOPs ${(referencePoint.flops / 1e6).toFixed(2)} M, the medians over the rows), over that of the true front (${pareto.trueFrontAboveReference} of its points beat the median cell in both); 0 when no evaluation beats the median cell in both. Only cells cheaper and more accurate than the median count here; the front fraction covers the whole front.`,
  );
  if (baseline) {
    lines.push(
      `- − ${baseline.name}: per seed, this strategy's figure minus ${baseline.name}'s on the same seed, then mean ± s.e.m. of those differences (positive: more than ${baseline.name}).`,
    );
  }
  lines.push(
    `- --objective pareto: ${summaries.map((summary) => `${summary.name} ${summary.objectiveApplied ? 'got `objective: "pareto"`' : "ran as is (its spec schema has no objective)"}`).join("; ") || "no strategy ran"}. The test-accuracy rows are given at the budget only.`,
  );
}
lines.push(
  lambda > 0
    ? `- --lambda ${lambda}: ${summaries.map((summary) => `${summary.name} ${summary.lambdaApplied ? "got it" : "ran without it (its spec schema does not accept lambda)"}`).join("; ") || "no strategy ran"}.`
    : "- --lambda 0: no strategy was given a FLOPs weight.",
);
lines.push(
  "- Wall times: per round = propose + score its candidates from the table, in the child process; per campaign = strategy creation plus all rounds. With more jobs than idle cores they include contention.",
);
for (const plan of plans) {
  if (plan.skipped) lines.push(`- Skipped ${plan.name}: ${plan.skipped}`);
}
if (notStarted.length > 0 || commonSeeds.size < seeds) {
  lines.push(
    `- ${notStarted.length} campaigns were not started (--start-before ${args["start-before"]}); the figures use the ${commonSeeds.size} seeds every strategy completed${commonSeeds.size < seeds ? ` (${[...commonSeeds].join(", ")})` : ""}.`,
  );
}
for (const summary of summaries) {
  for (const failure of summary.failed) {
    lines.push(`- ${summary.name} seed ${failure.seed} failed: ${failure.error.split("\n")[0]}`);
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
    settings: {
      strategies: names,
      target,
      seeds,
      firstSeed,
      budget,
      roundSize,
      jobs,
      lambda,
      objective,
      checkpoints,
      baseline: baselineName,
    },
    reference,
    ...(pareto ? { paretoReference: pareto } : {}),
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
