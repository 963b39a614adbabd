import { createRedisConnection, JobQueues } from "@nasvae/jobs";
import fp from "fastify-plugin";

declare module "fastify" {
  interface FastifyInstance {
    queues: JobQueues;
  }
}

/** Decorates the app with the BullMQ queues (producer side); closes them on close. */
export default fp<{ redisUrl: string; prefix: string }>(
  async (app, { redisUrl, prefix }) => {
    const connection = createRedisConnection(redisUrl, { connectionName: "api" });
    // Without a listener ioredis prints every failed reconnect; log them once as warnings.
    connection.on("error", (error) => app.log.warn({ err: error }, "redis connection error"));
    const queues = new JobQueues(connection, prefix);
    app.decorate("queues", queues);
    app.addHook("onClose", async () => {
      await queues.close();
      connection.disconnect();
    });
  },
  { name: "queues" },
);
