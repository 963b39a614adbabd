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
  try {
    await fastify.register(app, options);
  } catch (error) {
    // A plugin refused to start (bad settings): release what the earlier ones opened.
    await fastify.close().catch(() => {});
    throw error;
  }
  return fastify;
}
