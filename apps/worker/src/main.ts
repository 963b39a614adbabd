// Entry point of a worker process (one per GPU in production).
import { createLogger, onShutdown } from "@nasvae/config";
import { createDatabase } from "@nasvae/db";
import { createRedisConnection } from "@nasvae/jobs";
import { createRegistry, type Readiness, startMetricsServer } from "@nasvae/metrics";
import { loadWorkerConfig } from "./config.ts";
import { EvaluationWorker } from "./evaluation-worker.ts";
import { WorkerMetrics } from "./metrics.ts";

const config = loadWorkerConfig();
const log = createLogger("worker", config.LOG_LEVEL).child({ worker: config.WORKER_NAME });
const metrics = new WorkerMetrics(createRegistry());
// Set once the worker exists; /readyz says ready until then.
let readiness = (): Readiness => ({ ready: true });
// Before taking any job: a port that cannot be bound stops the process at once, loudly.
const metricsServer =
  config.METRICS_PORT === undefined
    ? undefined
    : await startMetricsServer({
        registry: metrics.registry,
        port: config.METRICS_PORT,
        host: config.METRICS_HOST,
        readiness: () => readiness(),
      });
const db = createDatabase(config.DATABASE_URL, { maxConnections: config.WORKER_CONCURRENCY + 2 });
const connection = createRedisConnection(config.REDIS_URL, {
  forWorker: true,
  connectionName: `worker:${config.WORKER_NAME}`,
});
const worker = new EvaluationWorker({
  db,
  connection,
  prefix: config.QUEUE_PREFIX,
  concurrency: config.WORKER_CONCURRENCY,
  name: config.WORKER_NAME,
  log,
  metrics,
  databaseRetryTimeoutMs: config.DATABASE_RETRY_TIMEOUT_MS,
  stalledIntervalMs: config.STALLED_INTERVAL_MS,
  maxStalledCount: config.MAX_STALLED_COUNT,
  evaluationDelayMs: config.EVALUATION_DELAY_MS,
  datasetsDir: config.DATASETS_DIR,
  wasmThreads: config.NASVAE_WASM_THREADS,
  checkpointDir: config.CHECKPOINT_DIR,
  checkpointEveryEpochs: config.CHECKPOINT_EVERY_EPOCHS,
  ...(config.LOCK_DURATION_MS === undefined ? {} : { lockDurationMs: config.LOCK_DURATION_MS }),
  // Out of memory in the tensor backend: every later job would fail, so exit and be replaced.
  onBackendFailure: () => {
    connection.disconnect();
    void db.$disconnect().finally(() => process.exit(1));
    setTimeout(() => process.exit(1), 5000).unref();
  },
});
readiness = () => worker.readiness();
worker.start();
log.info(
  {
    concurrency: config.WORKER_CONCURRENCY,
    prefix: config.QUEUE_PREFIX,
    datasetsDir: config.DATASETS_DIR,
    wasmThreads: config.NASVAE_WASM_THREADS,
    checkpointDir: config.CHECKPOINT_DIR,
    checkpointEveryEpochs: config.CHECKPOINT_EVERY_EPOCHS,
    metrics: metricsServer ? `${metricsServer.url}/metrics` : null,
  },
  "worker started",
);

onShutdown({ log, timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, async () => {
  await worker.close();
  connection.disconnect();
  await db.$disconnect();
  // Last: the evaluations that finished during the shutdown can still be scraped until here.
  await metricsServer?.close();
});
