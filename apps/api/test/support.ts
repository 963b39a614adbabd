// An API on a schema and a queue prefix of its own, for the route tests; `close()` stops it and
// deletes both.
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import type { FastifyInstance } from "fastify";
import { type BuildOptions, buildServer } from "../src/build.ts";

export interface TestApi {
  database: TestDatabase;
  redis: TestQueues;
  server: FastifyInstance;
  close(): Promise<void>;
}

/** `label` names the schema and the prefix; `overrides` change the settings (API_KEYS...). */
export async function startTestApi(
  label: string,
  overrides: Partial<BuildOptions> = {},
): Promise<TestApi> {
  const database = await createTestDatabase(label.replaceAll("-", "_"));
  const redis = await createTestQueues(label.replaceAll("_", "-"));
  const server = await buildServer({
    DATABASE_URL: database.url,
    REDIS_URL: redis.redisUrl,
    QUEUE_PREFIX: redis.prefix,
    MAX_BUDGET: 500,
    LOG_LEVEL: "silent",
    ...overrides,
  });
  return {
    database,
    redis,
    server,
    async close() {
      await server.close();
      await redis.cleanup();
      await database.drop();
    },
  };
}
