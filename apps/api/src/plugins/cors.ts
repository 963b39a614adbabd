import cors from "@fastify/cors";
import fp from "fastify-plugin";

/**
 * CORS, closed by default: with no origins configured no cross-origin browser request is
 * allowed (the pages are served by the API itself, so they need none).
 */
export default fp<{ origins: string[] }>(
  async (app, { origins }) => {
    await app.register(cors, {
      origin: origins.length > 0 ? origins : false,
      methods: ["GET", "HEAD", "POST"],
      allowedHeaders: ["authorization", "content-type"],
      exposedHeaders: ["location", "retry-after"],
      maxAge: 600,
    });
  },
  { name: "cors" },
);
