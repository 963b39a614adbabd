import { createDatabase, type Database } from "@nasvae/db";
import fp from "fastify-plugin";

declare module "fastify" {
  interface FastifyInstance {
    db: Database;
  }
}

/** Decorates the app with the Prisma client; disconnects on close. */
export default fp<{ databaseUrl: string }>(
  async (app, { databaseUrl }) => {
    const db = createDatabase(databaseUrl);
    app.decorate("db", db);
    app.addHook("onClose", async () => {
      await db.$disconnect();
    });
  },
  { name: "database" },
);
