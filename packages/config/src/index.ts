export { ConfigError, envFields, envSchema, parseEnv } from "./env.ts";
export { createLogger, type Logger } from "./logger.ts";
export { onShutdown, type ShutdownOptions } from "./shutdown.ts";
