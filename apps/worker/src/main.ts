// Entry point of a worker process (one per GPU in production).
import { createLogger, onShutdown } from "@nasvae/config";
import { createDatabase } from "@nasvae/db";
import { createRedisConnection } from "@nasvae/jobs";
import { loadWorkerConfig } from "./config.ts";
import { EvaluationWorker } from "./evaluation-worker.ts";

const config = loadWorkerConfig();
const log = createLogger("worker", config.LOG_LEVEL).child({ worker: config.WORKER_NAME });
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
});
worker.start();
log.info({ concurrency: config.WORKER_CONCURRENCY, prefix: config.QUEUE_PREFIX }, "worker started");

onShutdown({ log, timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, async () => {
  await worker.close();
  connection.disconnect();
  await db.$disconnect();
});
