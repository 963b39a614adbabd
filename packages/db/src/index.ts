export {
  type DatabaseRetryOptions,
  DatabaseUnavailableError,
  isDatabaseUnavailable,
  pingDatabase,
  retryWhileDatabaseUnavailable,
} from "./availability.ts";
export { createDatabase, type Database, type DatabaseOptions } from "./client.ts";
export { type DatabaseTarget, parseDatabaseUrl, quoteIdentifier } from "./database-url.ts";
export * from "./generated/client.ts";
export {
  defaultMigrationsDir,
  type MigrateOptions,
  type MigrateResult,
  migrate,
  readMigrations,
} from "./migrator.ts";
export * from "./repositories/api-keys.ts";
export * from "./repositories/architectures.ts";
export * from "./repositories/campaign-control.ts";
export * from "./repositories/campaign-summaries.ts";
export * from "./repositories/campaigns.ts";
export * from "./repositories/evaluations.ts";
export * from "./repositories/learning-curves.ts";
export * from "./repositories/reconciliation.ts";
export * from "./repositories/round-history.ts";
export * from "./repositories/rounds.ts";
export * from "./repositories/trials.ts";
