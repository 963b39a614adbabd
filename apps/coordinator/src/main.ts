// Entry point of the coordinator process.
import { createLogger, onShutdown } from "@nasvae/config";
import { createDatabase } from "@nasvae/db";
import { createRedisConnection, JobQueues, Reconciler } from "@nasvae/jobs";
import { createRegistry, startMetricsServer } from "@nasvae/metrics";
import { loadCoordinatorConfig } from "./config.ts";
import { Coordinator } from "./coordinator.ts";
import { CoordinatorMetrics } from "./metrics.ts";

const config = loadCoordinatorConfig();
const log = createLogger("coordinator", config.LOG_LEVEL);
const metrics = new CoordinatorMetrics(createRegistry());
// Before taking any job: a port that cannot be bound stops the process at once, loudly.
const metricsServer =
  config.METRICS_PORT === undefined
    ? undefined
    : await startMetricsServer({
        registry: metrics.registry,
        port: config.METRICS_PORT,
        host: config.METRICS_HOST,
      });
const db = createDatabase(config.DATABASE_URL);
const connection = createRedisConnection(config.REDIS_URL, {
  forWorker: true,
  connectionName: "coordinator",
});
const queues = new JobQueues(connection, config.QUEUE_PREFIX);
const coordinator = new Coordinator({
  db,
  queues,
  connection,
  log,
  metrics,
  databaseRetryTimeoutMs: config.DATABASE_RETRY_TIMEOUT_MS,
  stalledIntervalMs: config.STALLED_INTERVAL_MS,
  maxStalledCount: config.MAX_STALLED_COUNT,
  ...(config.LOCK_DURATION_MS === undefined ? {} : { lockDurationMs: config.LOCK_DURATION_MS }),
});
coordinator.start();
// Rebuilds from Postgres the work in flight that Redis lost: now, periodically and whenever the
// Redis connection is ready again (docs/reliability.md).
const reconciler = new Reconciler({
  db,
  queues,
  log,
  intervalMs: config.RECONCILE_INTERVAL_MS,
  isBusy: (campaignId) => coordinator.guard.isBusy(campaignId),
  metrics,
});
reconciler.start(connection);
log.info(
  {
    prefix: config.QUEUE_PREFIX,
    metrics: metricsServer ? `${metricsServer.url}/metrics` : null,
  },
  "coordinator started",
);

onShutdown({ log, timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, async () => {
  await reconciler.close();
  await coordinator.close();
  await queues.close();
  connection.disconnect();
  await db.$disconnect();
  await metricsServer?.close();
});
