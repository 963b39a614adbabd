import rateLimit from "@fastify/rate-limit";
import { createRedisConnection } from "@nasvae/jobs";
import fp from "fastify-plugin";

export interface RateLimitOptions {
  /** Requests per minute per key, or per client address for requests without a key. */
  perMinute: number;
  redisUrl: string;
  /** Namespace of the counters in Redis (the queue prefix), so deployments stay apart. */
  prefix: string;
}

/**
 * Rate limits, counted in Redis so that every API replica shares them. If Redis is unreachable,
 * requests are let through (reads from Postgres still work) rather than refused.
 */
export default fp<RateLimitOptions>(
  async (app, options) => {
    const redis = createRedisConnection(options.redisUrl, { connectionName: "api-rate-limit" });
    redis.on("error", () => {
      // Reported by the queues plugin and /readyz; here it only means "do not limit".
    });
    app.addHook("onClose", async () => {
      redis.disconnect();
    });
    await app.register(rateLimit, {
      max: options.perMinute,
      timeWindow: 60_000,
      redis,
      nameSpace: `${options.prefix}:rate-limit:`,
      skipOnError: true,
      // Probes and scrapes are never limited: an orchestrator must always get its answer.
      // The matched route, not the raw URL (`/metrics?x` or `/%6detrics` is the same route).
      allowList: (request) =>
        ["/livez", "/readyz", "/healthz", "/metrics"].includes(request.routeOptions.url ?? ""),
      // By the key's hash, not its 12-character prefix: keys that start alike (nasvae_test_...)
      // must not share an allowance.
      keyGenerator: (request) =>
        request.principal ? `key:${request.principal.keyHash.slice(0, 32)}` : `ip:${request.ip}`,
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        error: "Too Many Requests",
        message: `rate limit of ${context.max} requests per minute exceeded; retry in ${context.after}`,
      }),
    });
  },
  // Registered before auth, which counts wrong keys with it; the key generator reads the
  // principal that auth sets, at request time.
  { name: "rate-limit" },
);
