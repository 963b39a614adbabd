// `npm run demo`: runs a real search campaign end to end on this machine. It checks Postgres and
// Redis, applies migrations, starts the API, the coordinator and two workers as separate
// processes, POSTs a campaign, prints progress, and finally the best architecture found. Then a
// small campaign that trains its networks for real (evaluator `train`, docs/training.md) on
// Fashion-MNIST when its files are installed, else on the generated synthetic-shapes, and prints
// what it measured: test accuracies, and where the learning curves are.
// Options: --budget N (default 100), --dataset cifar10|cifar100|ImageNet16-120,
// --strategy graph-vae|evolution|random (default graph-vae),
// --per-round N, --seed N, --train-budget N (default 4; 0 skips the training campaign),
// --keep (leave the stack running afterwards).
import { createWriteStream } from "node:fs";
import { parseArgs } from "node:util";
import { envSchema, parseEnv } from "@nasvae/config";
import { migrate, parseDatabaseUrl } from "@nasvae/db";
import {
  type CampaignView,
  campaignEvaluations,
  createCampaign,
  type DemoApi,
  watchCampaign,
} from "./lib/demo-campaign.ts";
import { chooseDemoTraining } from "./lib/demo-training.ts";
import { appEnv, LocalStack, localApiKeys, waitForHttp } from "./lib/local-stack.ts";
import { formatLogLine } from "./lib/log-format.ts";
import { exitUnlessServicesUp } from "./lib/preflight.ts";

const { values: args } = parseArgs({
  options: {
    budget: { type: "string", default: "100" },
    dataset: { type: "string", default: "cifar10" },
    strategy: { type: "string", default: "graph-vae" },
    "per-round": { type: "string", default: "10" },
    seed: { type: "string", default: "7" },
    "train-budget": { type: "string", default: "4" },
    keep: { type: "boolean", default: false },
  },
});
const env = parseEnv(
  envSchema("DATABASE_URL", "REDIS_URL", "QUEUE_PREFIX", "PORT", "WORKERS", "API_KEYS"),
);
const apiKeys = localApiKeys(env.API_KEYS);
const base = `http://127.0.0.1:${env.PORT}`;
const logPath = "nasvae-demo.log";

console.log("nasvae demo: a NAS-Bench-201 search campaign on the local stack\n");
await exitUnlessServicesUp(env.DATABASE_URL, env.REDIS_URL);
const target = parseDatabaseUrl(env.DATABASE_URL);
const migration = await migrate({ databaseUrl: env.DATABASE_URL });
console.log(
  `postgres  ${target.address}/${target.database}: ${migration.applied.length} migration(s) applied, ${migration.alreadyApplied.length} already there`,
);
console.log(`redis     ${new URL(env.REDIS_URL).host}, queue prefix "${env.QUEUE_PREFIX}"`);

if (
  await fetch(`${base}/healthz`).then(
    () => true,
    () => false,
  )
) {
  console.error(
    `port ${env.PORT} is already in use (is \`npm start\` running?); set PORT to another port`,
  );
  process.exit(1);
}

const log = createWriteStream(logPath);
const stack = new LocalStack({
  env: appEnv({ ...env, API_KEYS: apiKeys.API_KEYS }),
  workers: env.WORKERS,
  onLine: (name, line) => log.write(`${formatLogLine(name, line)}\n`),
});
let finished = false;
stack.start();
for (const p of stack.processes) {
  p.exited.then(async (code) => {
    if (finished) return;
    console.error(`\n${p.name} exited unexpectedly (code ${code}); see ${logPath}`);
    await stack.stop();
    process.exit(1);
  });
}
console.log(`stack     api + coordinator + ${env.WORKERS} workers (logs: ${logPath})`);
await waitForHttp(`${base}/healthz`);

const body = {
  name: `demo ${args.strategy} ${args.dataset}`,
  searchSpace: "nas-bench-201",
  evaluator: { kind: "nas-bench-201", dataset: args.dataset },
  strategy: { kind: args.strategy },
  budget: { evaluations: Number(args.budget), perRound: Number(args["per-round"]) },
  seed: Number(args.seed),
};
const api: DemoApi = { base, apiKey: apiKeys.key };
const id = await createCampaign(api, body).catch(async (error: Error) => {
  console.error(error.message);
  finished = true;
  await stack.stop();
  process.exit(1);
});
console.log(`campaign  ${id} (${body.name}, budget ${body.budget.evaluations})\n`);

const started = Date.now();
const campaign: CampaignView = await watchCampaign(api, id);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`\ncampaign ${campaign.status} in ${seconds} s`);
if (campaign.status !== "completed" || !campaign.best) {
  console.error(`the campaign did not complete: ${campaign.error ?? "no result"}; see ${logPath}`);
}

const { best, progress } = campaign;
if (best) {
  console.log("\nBest architecture (chosen by validation accuracy, the search signal):");
  console.log(`  ${best.architecture}`);
  console.log(
    `  validation accuracy ${percent(best.validationAccuracy)} %   test accuracy ${percent(best.testAccuracy)} %`,
  );
  console.log(
    `  FLOPs ${(best.flops / 1e6).toFixed(2)} M (multiply-accumulates)   params ${(best.params / 1e6).toFixed(3)} M`,
  );
  console.log(
    `  ${progress.evaluations} evaluations in ${progress.rounds} rounds (${progress.cached} answered from the cache)`,
  );
  if (campaign.model) {
    console.log(
      `  model: ${campaign.model.snapshots} graph-VAE snapshots saved (one per round), trained on the ${campaign.model.backend} backend`,
    );
  }
}
const trainBudget = Number(args["train-budget"]);
const trained = trainBudget > 0 ? await trainingCampaign(trainBudget) : true;

/**
 * A small campaign that trains every network for real, on Fashion-MNIST when its files are there
 * and on the generated synthetic-shapes otherwise (scripts/lib/demo-training.ts has the recipes).
 */
async function trainingCampaign(budget: number): Promise<boolean> {
  const { evaluator, note, chance } = await chooseDemoTraining(api);
  const trainBody = {
    name: `demo real training ${evaluator.dataset}`,
    searchSpace: "nas-bench-201",
    evaluator,
    strategy: { kind: "random" },
    budget: { evaluations: budget, perRound: Math.min(budget, env.WORKERS || 1) },
    seed: Number(args.seed),
  };
  console.log(
    `\nNext: real training on ${note}.\nEach network is built in TensorFlow.js and trained by the workers:\n  ${JSON.stringify(evaluator)}`,
  );
  const trainId = await createCampaign(api, trainBody);
  console.log(`campaign  ${trainId} (${trainBody.name}, budget ${budget})\n`);
  const trainStarted = Date.now();
  const result = await watchCampaign(api, trainId);
  console.log(
    `\ncampaign ${result.status} in ${((Date.now() - trainStarted) / 1000).toFixed(1)} s${result.error ? `: ${result.error}` : ""}`,
  );
  const items = await campaignEvaluations(api, trainId);
  if (items.length > 0) {
    console.log("\n  VALID %  TEST %  EPOCHS  MFLOPS  PARAMS (K)  WORKER    ARCHITECTURE");
    for (const item of items) {
      const epochs = `${item.epochs ?? "-"}${item.stoppedEarly ? " (stopped)" : ""}`;
      console.log(
        `  ${percent(item.validationAccuracy).padStart(7)}  ${percent(item.testAccuracy).padStart(6)}  ${epochs.padEnd(6)}  ${(item.flops / 1e6).toFixed(2).padStart(6)}  ${(item.params / 1e3).toFixed(1).padStart(10)}  ${item.worker.padEnd(8)}  ${item.architecture}`,
      );
    }
    console.log(`  (validation: the search signal; test: reported. ${chance}.)`);
    const [best] = items;
    console.log("  Learning curves (per epoch: training and validation loss and accuracy):");
    console.log(
      `    Page ${base}/ui/architectures/${best?.architectureId}   (the best network's curve, plotted; with --keep)`,
    );
    console.log(
      `    API  curl ${base}/architectures/${best?.architectureId}   (each evaluation's learningCurve; with --keep)`,
    );
    console.log(
      `    CLI  npx nasvae results ${trainId} --url ${base}   (the table above; curves are in the API's answer)`,
    );
  }
  return result.status === "completed";
}

/** An accuracy in percent, or "-" where the evaluator measured none. */
function percent(accuracy: number | null): string {
  return accuracy === null ? "-" : accuracy.toFixed(2);
}

const psqlUrl = target.connectionString;
const searchPath = target.schema === "public" ? "" : `SET search_path TO ${target.schema}; `;
console.log("\nWhere to look next:");
console.log(`  Page       ${base}/ui/campaigns/${id}   (with --keep, while the stack runs)`);
console.log(
  `  API        ${base}/campaigns/${id}   and   ${base}/campaigns/${id}/evaluations   (reference: ${base}/docs)`,
);
console.log(`  Dashboard  ${base}/admin/queues   (user: anything, password: the API key)`);
console.log(
  apiKeys.generated
    ? `  API key    ${apiKeys.key}   (made for this run; set API_KEYS to choose your own)`
    : "  API key    the first of API_KEYS",
);
console.log(
  `  SQL        psql "${psqlUrl}" -c "${searchPath}SELECT round, arch_string, validation_accuracy, test_accuracy, flops, params, worker FROM campaign_evaluations WHERE campaign_id = '${id}' ORDER BY validation_accuracy DESC LIMIT 10"`,
);
finished = true;
if (args.keep) {
  console.log("\nThe stack keeps running (--keep); press Ctrl-C to stop it.");
  process.on("SIGINT", () => stack.stop().then(() => process.exit(0)));
} else {
  await stack.stop();
  log.end();
  console.log(
    "\nThe stack is stopped; `npm start` brings the API and the dashboard back up (results stay in Postgres).",
  );
  process.exit(campaign.status === "completed" && trained ? 0 : 1);
}
