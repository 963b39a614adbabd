import { createRegistry } from "@nasvae/metrics";
import fp from "fastify-plugin";
import Type from "typebox";
import { requestDurationHistogram } from "../metrics/request-duration.ts";
import { SystemState } from "../metrics/system-state.ts";

/**
 * GET /metrics in the Prometheus text format: Node.js process metrics, HTTP request durations,
 * and the queues, workers and campaigns as they are at scrape time. A scrape answers 200 even
 * when Redis or Postgres is down (`nasvae_up{dependency} 0`), so that the outage is visible.
 */
export default fp(
  async (app) => {
    const registry = createRegistry();
    const state = new SystemState(registry, { db: app.db, queues: app.queues });
    const requestDuration = requestDurationHistogram(registry);

    app.addHook("onResponse", async (request, reply) => {
      requestDuration.observe(
        {
          method: request.method,
          // Unknown paths share one label value, so scanners cannot create series at will.
          route: request.routeOptions.url ?? "unmatched",
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
    });

    app.get(
      "/metrics",
      {
        schema: {
          operationId: "getMetrics",
          summary: "Prometheus metrics: queues, workers, campaigns, requests and the process",
          tags: ["operations"],
          response: {
            200: {
              description: "The Prometheus text exposition format (version 0.0.4)",
              content: { "text/plain": { schema: Type.String() } },
            },
          },
        },
      },
      async (_request, reply) => {
        await state.refresh();
        return reply.type(registry.contentType).send(await registry.metrics());
      },
    );
  },
  { name: "metrics", dependencies: ["database", "queues"] },
);
