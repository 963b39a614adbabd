// Entry point of the coordinator process.
import { createLogger, onShutdown } from "@nasvae/config";
import { createDatabase } from "@nasvae/db";
import { createRedisConnection, JobQueues } from "@nasvae/jobs";
import { loadCoordinatorConfig } from "./config.ts";
import { Coordinator } from "./coordinator.ts";

const config = loadCoordinatorConfig();
const log = createLogger("coordinator", config.LOG_LEVEL);
const db = createDatabase(config.DATABASE_URL);
const connection = createRedisConnection(config.REDIS_URL, {
  forWorker: true,
  connectionName: "coordinator",
});
const queues = new JobQueues(connection, config.QUEUE_PREFIX);
const coordinator = new Coordinator({ db, queues, connection, log });
coordinator.start();
log.info({ prefix: config.QUEUE_PREFIX }, "coordinator started");

onShutdown({ log, timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, async () => {
  await coordinator.close();
  await queues.close();
  connection.disconnect();
  await db.$disconnect();
});
