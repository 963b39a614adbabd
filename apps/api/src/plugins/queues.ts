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
    const queues = new JobQueues(connection, prefix, (error) =>
      app.log.warn({ err: { message: error.message } }, "redis connection error"),
    );
    app.decorate("queues", queues);
    app.addHook("onClose", async () => {
      await queues.close();
      connection.disconnect();
    });
  },
  { name: "queues" },
);
