import type { FastifyPluginAsync } from "fastify";
import Type from "typebox";

const Health = Type.Object({
  status: Type.Enum(["ok", "degraded"]),
  postgres: Type.Enum(["up", "down"]),
  redis: Type.Enum(["up", "down"]),
});

/** GET /healthz: 200 when Postgres and Redis both answer, 503 otherwise. */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    "/healthz",
    { schema: { response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      const [postgres, redis] = await Promise.all([
        app.db.$queryRaw`SELECT 1`.then(
          () => "up" as const,
          () => "down" as const,
        ),
        app.queues.connection.ping().then(
          () => "up" as const,
          () => "down" as const,
        ),
      ]);
      const ok = postgres === "up" && redis === "up";
      return reply.code(ok ? 200 : 503).send({ status: ok ? "ok" : "degraded", postgres, redis });
    },
  );
};
