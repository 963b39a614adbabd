import type { FastifyPluginAsync } from "fastify";
import type { ApiConfig } from "./config.ts";
import bullBoard from "./plugins/bull-board.ts";
import database from "./plugins/database.ts";
import errorHandler from "./plugins/error-handler.ts";
import queues from "./plugins/queues.ts";
import { campaignRoutes } from "./routes/campaigns.ts";
import { healthRoutes } from "./routes/health.ts";
import { validatorCompiler } from "./validation.ts";

/** What the app needs to run; tests pass these directly. Optional ones default as in config.ts. */
export type AppOptions = Pick<
  ApiConfig,
  "DATABASE_URL" | "REDIS_URL" | "QUEUE_PREFIX" | "MAX_BUDGET"
> &
  Partial<
    Pick<
      ApiConfig,
      "API_KEYS" | "READ_ACCESS" | "DASHBOARD_READ_ONLY" | "RATE_LIMIT_PER_MINUTE" | "CORS_ORIGINS"
    >
  >;

/** The whole API as one plugin: resources first, then routes. server.ts only runs it. */
export const app: FastifyPluginAsync<AppOptions> = async (fastify, options) => {
  fastify.setValidatorCompiler(validatorCompiler);
  await fastify.register(errorHandler);
  await fastify.register(database, { databaseUrl: options.DATABASE_URL });
  await fastify.register(queues, { redisUrl: options.REDIS_URL, prefix: options.QUEUE_PREFIX });
  await fastify.register(bullBoard);
  await fastify.register(healthRoutes);
  await fastify.register(campaignRoutes, {
    maxBudget: options.MAX_BUDGET,
    redisUrl: options.REDIS_URL,
  });
};
