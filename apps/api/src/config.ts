import { envSchema, parseEnv } from "@nasvae/config";

export const apiEnvSchema = envSchema(
  "DATABASE_URL",
  "REDIS_URL",
  "QUEUE_PREFIX",
  "LOG_LEVEL",
  "SHUTDOWN_TIMEOUT_MS",
  "PORT",
  "HOST",
  "MAX_BUDGET",
  "API_KEYS",
  "READ_ACCESS",
  "DASHBOARD_READ_ONLY",
  "RATE_LIMIT_PER_MINUTE",
  "MAX_ACTIVE_CAMPAIGNS_PER_KEY",
  "MAX_PENDING_EVALUATIONS_PER_KEY",
  "CORS_ORIGINS",
  "DATASETS_DIR",
  "TRAIN_MEMORY_LIMIT_MB",
);

export type ApiConfig = ReturnType<typeof loadApiConfig>;

export function loadApiConfig(env: Record<string, string | undefined> = process.env) {
  return parseEnv(apiEnvSchema, env);
}
