import { PrismaPg } from "@prisma/adapter-pg";
import { parseDatabaseUrl, quoteIdentifier } from "./database-url.ts";
import { PrismaClient } from "./generated/client.ts";

export type Database = PrismaClient;

export interface DatabaseOptions {
  /** Largest number of pooled connections. Default: 10. */
  maxConnections?: number;
}

/**
 * The one way the apps get a Prisma client: Prisma 7 with the `pg` driver adapter, so no native
 * query engine is needed. The schema comes from the URL's `?schema=` parameter.
 */
export function createDatabase(databaseUrl: string, options: DatabaseOptions = {}): Database {
  const target = parseDatabaseUrl(databaseUrl);
  const adapter = new PrismaPg(
    {
      connectionString: target.connectionString,
      max: options.maxConnections ?? 10,
      // A server that does not answer (a network cut) fails the connect after 10 s instead of
      // hanging it forever, so callers can tell "unreachable" and retry (see availability.ts);
      // keep-alive probes find pooled connections that died silently.
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
      // Raw queries name tables unqualified: they must find the same schema as Prisma's own.
      ...(target.schema === "public" ? {} : { options: searchPathOption(target.schema) }),
    },
    { schema: target.schema },
  );
  return new PrismaClient({ adapter });
}

/** The startup option that sets a connection's search_path (spaces escaped, as libpq wants). */
function searchPathOption(schema: string): string {
  return `-c search_path=${quoteIdentifier(schema).replace(/[\\\s]/g, "\\$&")}`;
}
