import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Liveness, Readiness } from "@nasvae/contracts";
import { pingDatabase } from "@nasvae/db";
import { withTimeout } from "@nasvae/metrics";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Static } from "typebox";

/**
 * Longest wait for each dependency's answer. Under Kubernetes' default probe timeout (1 s), so
 * that a hung Postgres or Redis makes readiness answer 503 rather than time out.
 */
const CHECK_TIMEOUT_MS = 900;

/** Whether Postgres and Redis each answer a trivial request in time. */
async function checkDependencies(app: FastifyInstance): Promise<Static<typeof Readiness>> {
  const state = (check: Promise<unknown>, what: string) =>
    withTimeout(check, CHECK_TIMEOUT_MS, what).then(
      () => "up" as const,
      () => "down" as const,
    );
  const [postgres, redis] = await Promise.all([
    state(pingDatabase(app.db), "postgres check"),
    state(app.queues.connection.ping(), "redis check"),
  ]);
  const ok = postgres === "up" && redis === "up";
  return { status: ok ? "ok" : "degraded", postgres, redis };
}

/**
 * Probes: GET /livez (the process serves requests; checks nothing else, so an orchestrator does
 * not restart the API for a database outage) and GET /readyz (Postgres and Redis answer: send
 * traffic). GET /healthz is /readyz under its older name, kept for existing scripts.
 */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/livez",
    {
      schema: {
        operationId: "getLiveness",
        summary: "Liveness: 200 while the API process serves requests; checks no dependency",
        tags: ["operations"],
        response: { 200: Liveness },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  const readiness = {
    tags: ["operations"],
    response: { 200: Readiness, 503: Readiness },
  };
  const ready = async (_request: unknown, reply: FastifyReply) => {
    const health = await checkDependencies(app);
    return reply.code(health.status === "ok" ? 200 : 503).send(health);
  };
  app.get(
    "/readyz",
    {
      schema: {
        operationId: "getReadiness",
        ...readiness,
        summary:
          "Readiness: 200 when Postgres and Redis both answer, else 503 naming which is down",
      },
    },
    ready,
  );
  app.get(
    "/healthz",
    {
      schema: {
        ...readiness,
        operationId: "getHealth",
        summary: "Same as /readyz (its older name, kept for scripts)",
        deprecated: true,
      },
    },
    ready,
  );
};
