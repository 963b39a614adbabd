// Test support: every test file gets its own Postgres schema, migrated, and drops it after.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDatabase, type Database } from "./client.ts";
import { parseDatabaseUrl, quoteIdentifier } from "./database-url.ts";
import { migrate } from "./migrator.ts";

/** Database that tests use; override with TEST_DATABASE_URL. */
export const testDatabaseUrl =
  process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  /** DATABASE_URL for processes under test, with `?schema=` set. */
  url: string;
  schema: string;
  db: Database;
  /** Disconnects and drops the schema. */
  drop(): Promise<void>;
}

export async function createTestDatabase(label = "t"): Promise<TestDatabase> {
  const schema = `${label.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_${randomBytes(4).toString("hex")}`;
  const url = new URL(testDatabaseUrl);
  url.searchParams.set("schema", schema);
  await migrate({ databaseUrl: url.toString() });
  const db = createDatabase(url.toString(), { maxConnections: 4 });
  return {
    url: url.toString(),
    schema,
    db,
    async drop() {
      await db.$disconnect();
      const client = new pg.Client({
        connectionString: parseDatabaseUrl(testDatabaseUrl).connectionString,
      });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
