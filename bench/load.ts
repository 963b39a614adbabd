/**
 * Load benchmark: many campaigns at once through the REST API, the real queues and worker
 * processes, with the tabular evaluator; then two lanes of raw BullMQ jobs, as many as the stack
 * ran evaluate jobs, through the same Redis at the same worker count and concurrency: the durable
 * floor (each job one `INSERT … ON CONFLICT DO NOTHING` of a result row into the same Postgres,
 * bench/durable-floor-worker.ts), the target's yardstick, and no-op jobs, the ceiling. Prints
 * trials/s and enqueue → commit p50/p99 of the stack and the floor, and `ratio vs durable floor`. Prints one markdown
 * report; raw figures go to bench/results/. Needs the local PostgreSQL and Redis (it uses a
 * schema and a queue prefix of its own, deleted afterwards).
 *
 *   npx tsx bench/load.ts [--campaigns 1000] [--budget 20] [--workers 2] [--concurrency 8]
 *     [--posting 50] [--out bench/results/load-<timestamp>.json] [--cpu-profile DIR]
 *
 * Every campaign is a random search with budget = perRound = --budget (one round), on one of the
 * three NAS-Bench-201 datasets in turn. Results already recorded for a dataset are answered from
 * the cache without a job, as in production, so fewer evaluate jobs than campaigns × budget run;
 * the report gives both numbers, and the CPU seconds each part of the stack used (Linux /proc,
 * Redis's INFO). --cpu-profile DIR: every process of the stack writes a V8 CPU profile there.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createTestDatabase } from "@nasvae/db/testing";
import { queueNames } from "@nasvae/jobs";
import { createTestQueues } from "@nasvae/jobs/testing";
import { Queue } from "bullmq";
import { LocalStack, waitForHttp } from "../scripts/lib/local-stack.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATASETS = ["cifar10", "cifar100", "ImageNet16-120"] as const;

const { values: args } = parseArgs({
  options: {
    campaigns: { type: "string", default: "1000" },
    budget: { type: "string", default: "20" },
    workers: { type: "string", default: "2" },
    concurrency: { type: "string", default: "8" },
    posting: { type: "string", default: "50" },
    out: { type: "string" },
    "cpu-profile": { type: "string" },
  },
});
const settings = {
  campaigns: Number(args.campaigns),
  budget: Number(args.budget),
  workers: Number(args.workers),
  concurrency: Number(args.concurrency),
  posting: Number(args.posting),
};
for (const [name, value] of Object.entries(settings)) {
  if (!Number.isInteger(value) || value < 1) {
    console.error(`bench/load.ts: --${name} must be a positive integer`);
    process.exit(2);
  }
}

const log = (message: string) => console.error(`[load] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. On a
 * shared machine this says more than wall time: it is what each part of the stack costs.
 */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15, in ticks.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * CPU seconds all of PostgreSQL's processes have used so far: the live ones', plus what the
 * postmaster has collected from its children that have exited (backends of closed connections).
 * It counts every client of this server. Null where /proc cannot tell.
 */
function postgresCpuSeconds(): number | null {
  let total = 0;
  let found = false;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    if (comm !== "postgres") continue;
    found = true;
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime, stime (fields 14, 15); for the postmaster (its parent is not postgres) also cutime,
    // cstime (16, 17): its children that have exited.
    total += Number(fields[11]) + Number(fields[12]);
    const parent = Number(fields[1]);
    let parentComm = "";
    try {
      const parentStat = readFileSync(`/proc/${parent}/stat`, "utf8");
      parentComm = parentStat.slice(parentStat.indexOf("(") + 1, parentStat.lastIndexOf(")"));
    } catch {}
    if (parentComm !== "postgres") total += Number(fields[13]) + Number(fields[14]);
  }
  return found ? total / 100 : null;
}

/** Redis's own CPU seconds so far (INFO cpu). */
async function redisCpuSeconds(connection: { info(section: string): Promise<string> }) {
  const info = await connection.info("cpu");
  const field = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1] ?? 0);
  return field("used_cpu_user") + field("used_cpu_sys");
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

const database = await createTestDatabase("bench_load");
const redis = await createTestQueues("bench-load");
const apiKey = `nasvae_bench_${Math.random().toString(36).slice(2)}${Date.now()}`;
const port = 3900 + Math.floor(Math.random() * 90);
const base = `http://127.0.0.1:${port}`;
const stack = new LocalStack({
  env: {
    DATABASE_URL: database.url,
    REDIS_URL: redis.redisUrl,
    QUEUE_PREFIX: redis.prefix,
    PORT: String(port),
    API_KEYS: apiKey,
    // One client posting a thousand campaigns and polling them is not abuse.
    RATE_LIMIT_PER_MINUTE: "1000000",
    // Nor are its thousand campaigns at once: the per-key caps would refuse all but 20.
    MAX_ACTIVE_CAMPAIGNS_PER_KEY: String(settings.campaigns),
    MAX_PENDING_EVALUATIONS_PER_KEY: String(settings.campaigns * settings.budget),
    WORKER_CONCURRENCY: String(settings.concurrency),
    LOG_LEVEL: "warn",
  },
  workers: settings.workers,
  ...(args["cpu-profile"] ? { cpuProfileDir: resolve(args["cpu-profile"]) } : {}),
  onLine: (name, line) => {
    if (/"level":(50|60)/.test(line)) log(`${name}: ${line.slice(0, 300)}`);
  },
});

let redisCpuAtStart = 0;
const postgresCpuAtStart = postgresCpuSeconds();
try {
  redisCpuAtStart = await redisCpuSeconds(redis.connection);
  stack.start();
  await waitForHttp(`${base}/healthz`, 60_000);
  log(
    `stack up: api, coordinator, ${settings.workers} workers × concurrency ${settings.concurrency}`,
  );

  // --- end to end ------------------------------------------------------------------------------
  const started = Date.now();
  const ids: string[] = [];
  let next = 0;
  const postErrors: string[] = [];
  async function poster(): Promise<void> {
    while (next < settings.campaigns) {
      const i = next++;
      const response = await fetch(`${base}/campaigns`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({
          name: `load ${i}`,
          searchSpace: "nas-bench-201",
          evaluator: { kind: "nas-bench-201", dataset: DATASETS[i % DATASETS.length] },
          strategy: { kind: "random" },
          budget: { evaluations: settings.budget, perRound: settings.budget },
          seed: i,
        }),
      });
      if (response.status === 201) ids.push(((await response.json()) as { id: string }).id);
      else postErrors.push(`${response.status} ${await response.text()}`);
    }
  }
  await Promise.all(Array.from({ length: settings.posting }, poster));
  const postedMs = Date.now() - started;
  log(
    `${ids.length} campaigns posted in ${(postedMs / 1000).toFixed(1)} s (${postErrors.length} refused)`,
  );

  const { db } = database;
  for (;;) {
    const open = await db.campaign.count({ where: { status: { in: ["queued", "running"] } } });
    const evaluated = await db.trial.count({ where: { status: "completed" } });
    log(`${ids.length - open}/${ids.length} campaigns done, ${evaluated} trials recorded`);
    if (open === 0) break;
    await sleep(2000);
  }
  const endToEndMs = Date.now() - started;

  const evaluations = new Queue(queueNames.evaluations, {
    connection: redis.connection,
    prefix: redis.prefix,
  });
  const jobCounts = await evaluations.getJobCounts("completed", "failed");
  const counts = { completed: jobCounts.completed ?? 0, failed: jobCounts.failed ?? 0 };
  const jobs = await evaluations.getJobs(["completed"], 0, -1);
  const latencies = jobs
    .filter((job) => job.finishedOn !== undefined)
    .map((job) => (job.finishedOn as number) - job.timestamp)
    .sort((a, b) => a - b);
  const [statuses, trials, failedTrials, rows, distinctRows, cachedTrials] = await Promise.all([
    db.campaign.groupBy({ by: ["status"], _count: { _all: true } }),
    db.trial.count(),
    db.trial.count({ where: { status: { not: "completed" } } }),
    db.evaluation.count(),
    db.evaluation
      .groupBy({ by: ["architectureId", "evaluatorFingerprint"] })
      .then((groups) => groups.length),
    db.trial.count({ where: { cached: true } }),
  ]);
  const campaignsWithoutTrials = await db.campaign.count({ where: { trials: { none: {} } } });
  const perCampaign = await db.trial.groupBy({
    by: ["campaignId"],
    where: { status: "completed" },
    _count: { _all: true },
  });
  const exact = perCampaign.filter((group) => group._count._all === settings.budget).length;
  await evaluations.close();
  // CPU of each part of the stack over the run (its start included), before it stops.
  const cpu: Record<string, number | null> = {};
  for (const p of stack.processes) {
    const name = p.name.startsWith("worker-") ? "workers" : p.name;
    const seconds = cpuSeconds(p.child.pid);
    cpu[name] = seconds === null ? null : (cpu[name] ?? 0) + seconds;
  }
  cpu.redis = (await redisCpuSeconds(redis.connection)) - redisCpuAtStart;
  const postgresCpu = postgresCpuSeconds();
  cpu.postgres =
    postgresCpu === null || postgresCpuAtStart === null ? null : postgresCpu - postgresCpuAtStart;
  await stack.stop();

  // --- the durable floor and raw BullMQ, at the same worker count ------------------------------
  // Each lane: worker processes of its own kind (as many, at the same concurrency), jobs added in
  // bulk, then the time until the last one completed and each job's enqueue → finish time.
  async function lane(
    queueName: string,
    script: string,
    jobs: number,
    data: (i: number) => object,
    env: Record<string, string> = {},
  ) {
    const laneStack = new LocalStack({
      env: {
        REDIS_URL: redis.redisUrl,
        QUEUE_PREFIX: redis.prefix,
        WORKER_CONCURRENCY: String(settings.concurrency),
        ...env,
      },
      workers: 0,
    });
    const queue = new Queue(queueName, { connection: redis.connection, prefix: redis.prefix });
    for (let i = 1; i <= settings.workers; i++) laneStack.spawn(`${queueName}-${i}`, script);
    await sleep(3000); // let the workers connect, as the stack's had before the campaigns came
    // CPU of the lane over its run only (its workers' start excluded): its cost per job.
    const cpuNow = async () =>
      laneStack.processes.reduce((sum, p) => sum + (cpuSeconds(p.child.pid) ?? 0), 0) +
      (await redisCpuSeconds(redis.connection));
    const cpuAtStart = await cpuNow();
    const laneStarted = Date.now();
    for (let i = 0; i < jobs; i += 1000) {
      await queue.addBulk(
        Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({
          name: queueName,
          data: data(i + k),
          opts: { removeOnComplete: { count: 100_000 } },
        })),
      );
    }
    for (;;) {
      const done = await queue.getJobCountByTypes("completed");
      if (done >= jobs) break;
      await sleep(200);
    }
    const ms = Date.now() - laneStarted;
    const laneCpu = (await cpuNow()) - cpuAtStart;
    const finished = await queue.getJobs(["completed"], 0, -1);
    const laneLatencies = finished
      .filter((job) => job.finishedOn !== undefined)
      .map((job) => (job.finishedOn as number) - job.timestamp)
      .sort((a, b) => a - b);
    await queue.close();
    await laneStack.stop();
    return { jobs, ms, cpu: laneCpu, latencies: laneLatencies };
  }

  // The floor commits one result row per trial the stack recorded, into the same
  // evaluations table (one existing architecture each, in turn, under a fingerprint of its own).
  const floorJobs = trials - failedTrials;
  const architectures = await db.architecture.findMany({ select: { id: true } });
  const floor = await lane(
    "floor",
    "bench/durable-floor-worker.ts",
    floorJobs,
    (i) => ({
      architectureId: architectures[i % architectures.length]?.id,
      evaluatorFingerprint: `durable-floor-${Math.floor(i / architectures.length)}`,
    }),
    { DATABASE_URL: database.url },
  );
  const floorRows = await db.evaluation.count({
    where: { evaluatorFingerprint: { startsWith: "durable-floor-" } },
  });
  log(`durable floor: ${floorJobs} jobs in ${(floor.ms / 1000).toFixed(1)} s, ${floorRows} rows`);
  const rawJobs = counts.completed;
  const raw = await lane("raw", "bench/lib/raw-bullmq-worker.ts", rawJobs, (i) => ({ i }), {
    RAW_QUEUE: "raw",
  });
  const rawMs = raw.ms;
  const rawCpu = raw.cpu;

  const endToEndRate = counts.completed / (endToEndMs / 1000);
  const rawRate = rawJobs / (rawMs / 1000);
  const floorRate = floor.jobs / (floor.ms / 1000);
  const trialsRate = floorJobs / (endToEndMs / 1000);
  const report = {
    settings,
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, node ${process.version}`,
    campaigns: { posted: ids.length, refused: postErrors.length, byStatus: statuses },
    trials: { total: trials, notCompleted: failedTrials, cached: cachedTrials, exactBudget: exact },
    evaluations: { rows, distinct: distinctRows, campaignsWithoutTrials },
    jobs: { completed: counts.completed, failed: counts.failed },
    cpuSeconds: cpu,
    rawCpuSeconds: rawCpu,
    floor: {
      jobs: floor.jobs,
      rows: floorRows,
      ms: floor.ms,
      cpuSeconds: floor.cpu,
      latencyMs: {
        p50: percentile(floor.latencies, 50),
        p99: percentile(floor.latencies, 99),
        max: floor.latencies.at(-1) ?? Number.NaN,
      },
    },
    timings: { postedMs, endToEndMs, rawMs, floorMs: floor.ms },
    rates: {
      endToEndJobsPerSecond: endToEndRate,
      trialsPerSecond: trialsRate,
      floorTrialsPerSecond: floorRate,
      ratioVsDurableFloor: trialsRate / floorRate,
      rawJobsPerSecond: rawRate,
    },
    latencyMs: {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? Number.NaN,
    },
  };
  const out = resolve(ROOT, args.out ?? `bench/results/load-${Date.now()}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);

  const completedCampaigns =
    statuses.find((group) => group.status === "completed")?._count._all ?? 0;
  console.log(`## Load: ${ids.length} campaigns × budget ${settings.budget}, tabular evaluator\n`);
  console.log(
    `${report.machine}; ${settings.workers} worker processes × concurrency ${settings.concurrency}\n`,
  );
  console.log("| measure | value |");
  console.log("| --- | --- |");
  console.log(`| campaigns posted (refused) | ${ids.length} (${postErrors.length}) |`);
  console.log(`| campaigns completed | ${completedCampaigns} |`);
  console.log(`| campaigns with exactly their budget of results | ${exact} |`);
  console.log(`| trials recorded (answered from the cache) | ${trials} (${cachedTrials}) |`);
  console.log(`| trials not completed | ${failedTrials} |`);
  console.log(
    `| evaluation rows (distinct architecture × evaluator) | ${rows} (${distinctRows}) |`,
  );
  console.log(`| evaluate jobs completed (failed) | ${counts.completed} (${counts.failed}) |`);
  console.log(`| posting ${ids.length} campaigns | ${(postedMs / 1000).toFixed(1)} s |`);
  console.log(
    `| end to end, first POST to last campaign completed | ${(endToEndMs / 1000).toFixed(1)} s |`,
  );
  console.log(`| end-to-end evaluate jobs/s | ${endToEndRate.toFixed(1)} |`);
  // Jobs/s alone rewards running more jobs: a faster stack answers more trials from the cache.
  console.log(`| end-to-end trials recorded/s | ${report.rates.trialsPerSecond.toFixed(1)} |`);
  console.log(
    `| enqueue → committed row, p50 / p99 / max | ${report.latencyMs.p50} / ${report.latencyMs.p99} / ${report.latencyMs.max} ms |`,
  );
  console.log(
    `| durable floor: ${floor.jobs} raw BullMQ jobs, one INSERT … ON CONFLICT DO NOTHING each, same Redis, Postgres and worker count | ${floorRate.toFixed(1)} trials/s |`,
  );
  console.log(
    `| durable floor: enqueue → committed row, p50 / p99 / max | ${report.floor.latencyMs.p50} / ${report.floor.latencyMs.p99} / ${report.floor.latencyMs.max} ms |`,
  );
  console.log(
    `| raw BullMQ: ${rawJobs} no-op jobs, same Redis and worker count | ${rawRate.toFixed(1)} jobs/s |`,
  );
  console.log(`| ratio end-to-end / raw | ${(endToEndRate / rawRate).toFixed(2)} |`);
  const perCampaignMs = (seconds: number | null | undefined) =>
    seconds === null || seconds === undefined
      ? "n/a"
      : `${seconds.toFixed(1)} s (${((seconds * 1000) / ids.length).toFixed(1)} ms/campaign)`;
  for (const name of ["api", "coordinator", "workers"]) {
    console.log(`| CPU, ${name} (its start included) | ${perCampaignMs(cpu[name])} |`);
  }
  // The servers' figures count all their clients over the run: the bench's own queries too.
  console.log(`| CPU, Redis (all clients) | ${perCampaignMs(cpu.redis)} |`);
  console.log(`| CPU, PostgreSQL (all processes) | ${perCampaignMs(cpu.postgres)} |`);
  // What one evaluate job costs the machine, everything included, against a no-op job: on a
  // machine whose cores are all busy, the ratio of rates cannot beat the inverse of this.
  const stackCpu = Object.values(cpu).reduce<number>((sum, seconds) => sum + (seconds ?? 0), 0);
  console.log(
    `| CPU per evaluate job, whole stack (all of the above) / raw BullMQ (workers + Redis) | ${((stackCpu * 1000) / Math.max(1, counts.completed)).toFixed(2)} / ${((rawCpu * 1000) / Math.max(1, rawJobs)).toFixed(2)} ms |`,
  );
  console.log(
    `\n| lane | trials/s | enqueue → commit p50 | p99 |\n| --- | ---: | ---: | ---: |\n| end to end (REST, coordinator, workers) | ${trialsRate.toFixed(1)} | ${report.latencyMs.p50} ms | ${report.latencyMs.p99} ms |\n| durable floor | ${floorRate.toFixed(1)} | ${report.floor.latencyMs.p50} ms | ${report.floor.latencyMs.p99} ms |`,
  );
  console.log(`\nratio vs durable floor: ${(trialsRate / floorRate).toFixed(2)}`);
  console.log(`\nraw data: ${out}`);
} finally {
  await stack.stop();
  await redis.cleanup();
  await database.drop();
}
