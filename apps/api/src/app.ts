import { DEFAULT_TRAIN_MEMORY_LIMIT_MB } from "@nasvae/contracts";
import type { FastifyPluginAsync } from "fastify";
import { parseApiKeys, parseKeyList } from "./auth/credentials.ts";
import type { ApiConfig } from "./config.ts";
import auth from "./plugins/auth.ts";
import bullBoard from "./plugins/bull-board.ts";
import cors from "./plugins/cors.ts";
import database from "./plugins/database.ts";
import errorHandler from "./plugins/error-handler.ts";
import metrics from "./plugins/metrics.ts";
import openapi from "./plugins/openapi.ts";
import queues from "./plugins/queues.ts";
import rateLimit from "./plugins/rate-limit.ts";
import securityHeaders from "./plugins/security-headers.ts";
import { architectureRoutes } from "./routes/architectures.ts";
import { campaignControlRoutes } from "./routes/campaign-control.ts";
import { campaignRoutes } from "./routes/campaigns.ts";
import { datasetRoutes } from "./routes/datasets.ts";
import { healthRoutes } from "./routes/health.ts";
import { pageRoutes } from "./routes/pages.ts";
import { roundRoutes } from "./routes/rounds.ts";
import { searchSpaceRoutes } from "./routes/search-spaces.ts";
import { validatorCompiler } from "./validation.ts";

/** What the app needs to run; tests pass these directly. Optional ones default as in config.ts. */
export type AppOptions = Pick<
  ApiConfig,
  "DATABASE_URL" | "REDIS_URL" | "QUEUE_PREFIX" | "MAX_BUDGET"
> &
  Partial<
    Pick<
      ApiConfig,
      | "API_KEYS"
      | "READ_ACCESS"
      | "DASHBOARD_READ_ONLY"
      | "RATE_LIMIT_PER_MINUTE"
      | "MAX_ACTIVE_CAMPAIGNS_PER_KEY"
      | "MAX_PENDING_EVALUATIONS_PER_KEY"
      | "CORS_ORIGINS"
      | "DATASETS_DIR"
      | "TRAIN_MEMORY_LIMIT_MB"
    >
  >;

/** The whole API as one plugin: resources first, then routes. server.ts only runs it. */
export const app: FastifyPluginAsync<AppOptions> = async (fastify, options) => {
  fastify.setValidatorCompiler(validatorCompiler);
  await fastify.register(errorHandler, { databaseUrl: options.DATABASE_URL });
  await fastify.register(securityHeaders);
  await fastify.register(database, { databaseUrl: options.DATABASE_URL });
  await fastify.register(queues, { redisUrl: options.REDIS_URL, prefix: options.QUEUE_PREFIX });
  await fastify.register(cors, { origins: parseKeyList(options.CORS_ORIGINS) });
  await fastify.register(rateLimit, {
    perMinute: options.RATE_LIMIT_PER_MINUTE ?? 1200,
    redisUrl: options.REDIS_URL,
    prefix: options.QUEUE_PREFIX,
  });
  await fastify.register(auth, {
    ...parseApiKeys(options.API_KEYS),
    readAccess: options.READ_ACCESS ?? "public",
    databaseUrl: options.DATABASE_URL,
  });
  await fastify.register(openapi, { readAccess: options.READ_ACCESS ?? "public" });
  // Before the routes, so that its request timing hook sees them all.
  await fastify.register(metrics);
  await fastify.register(bullBoard, { readOnly: options.DASHBOARD_READ_ONLY ?? false });
  await fastify.register(healthRoutes);
  await fastify.register(campaignRoutes, {
    maxBudget: options.MAX_BUDGET,
    redisUrl: options.REDIS_URL,
    trainMemoryLimitMb: options.TRAIN_MEMORY_LIMIT_MB ?? DEFAULT_TRAIN_MEMORY_LIMIT_MB,
    quota: {
      maxActiveCampaigns: options.MAX_ACTIVE_CAMPAIGNS_PER_KEY ?? 20,
      maxPendingEvaluations: options.MAX_PENDING_EVALUATIONS_PER_KEY ?? 50_000,
    },
  });
  await fastify.register(campaignControlRoutes, { redisUrl: options.REDIS_URL });
  await fastify.register(architectureRoutes);
  await fastify.register(roundRoutes);
  await fastify.register(datasetRoutes, { dataDir: options.DATASETS_DIR });
  await fastify.register(searchSpaceRoutes);
  await fastify.register(pageRoutes);
};
