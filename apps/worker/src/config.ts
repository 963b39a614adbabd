import { hostname } from "node:os";
import { envSchema, parseEnv } from "@nasvae/config";

export const workerEnvSchema = envSchema(
  "DATABASE_URL",
  "REDIS_URL",
  "QUEUE_PREFIX",
  "LOG_LEVEL",
  "SHUTDOWN_TIMEOUT_MS",
  "WORKER_CONCURRENCY",
  "WORKER_NAME",
  "METRICS_PORT",
  "METRICS_HOST",
  "DATABASE_RETRY_TIMEOUT_MS",
  "LOCK_DURATION_MS",
  "STALLED_INTERVAL_MS",
  "MAX_STALLED_COUNT",
  "EVALUATION_DELAY_MS",
  "DATASETS_DIR",
  "NASVAE_WASM_THREADS",
  "CHECKPOINT_DIR",
  "CHECKPOINT_EVERY_EPOCHS",
);

export function loadWorkerConfig(env: Record<string, string | undefined> = process.env) {
  const config = parseEnv(workerEnvSchema, env);
  return { ...config, WORKER_NAME: config.WORKER_NAME ?? `${hostname()}-${process.pid}` };
}

export type WorkerConfig = ReturnType<typeof loadWorkerConfig>;
