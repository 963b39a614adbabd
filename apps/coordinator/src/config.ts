import { envSchema, parseEnv } from "@nasvae/config";

export const coordinatorEnvSchema = envSchema(
  "DATABASE_URL",
  "REDIS_URL",
  "QUEUE_PREFIX",
  "LOG_LEVEL",
  "SHUTDOWN_TIMEOUT_MS",
  "METRICS_PORT",
  "METRICS_HOST",
  "DATABASE_RETRY_TIMEOUT_MS",
  "RECONCILE_INTERVAL_MS",
  "LOCK_DURATION_MS",
  "STALLED_INTERVAL_MS",
  "MAX_STALLED_COUNT",
);

export type CoordinatorConfig = ReturnType<typeof loadCoordinatorConfig>;

export function loadCoordinatorConfig(env: Record<string, string | undefined> = process.env) {
  return parseEnv(coordinatorEnvSchema, env);
}
