import Fastify, { type FastifyInstance } from "fastify";
import { type AppOptions, app } from "./app.ts";

export interface BuildOptions extends AppOptions {
  LOG_LEVEL?: string;
}

/** A ready-to-listen Fastify instance with the app registered (used by server.ts and tests). */
export async function buildServer(options: BuildOptions): Promise<FastifyInstance> {
  const fastify = Fastify({
    logger: { level: options.LOG_LEVEL ?? "info", base: { app: "api", pid: process.pid } },
    bodyLimit: 1024 * 1024,
  });
  await fastify.register(app, options);
  return fastify;
}
