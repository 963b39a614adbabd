/**
 * Prisma's URLs name the Postgres schema in a `schema` query parameter, which `pg` does not
 * understand. This splits a URL into what `pg` needs and the schema (default "public").
 */
export interface DatabaseTarget {
  /** The URL without the `schema` parameter, for `pg`. */
  connectionString: string;
  schema: string;
  database: string;
  /** host:port, for error messages. */
  address: string;
}

export function parseDatabaseUrl(url: string): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`DATABASE_URL is not a valid URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== "postgresql:" && parsed.protocol !== "postgres:") {
    throw new Error(`DATABASE_URL must start with postgresql://, got ${parsed.protocol}//`);
  }
  const schema = parsed.searchParams.get("schema") ?? "public";
  parsed.searchParams.delete("schema");
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "postgres";
  return {
    connectionString: parsed.toString(),
    schema,
    database,
    address: `${parsed.hostname}:${parsed.port || "5432"}`,
  };
}

/** Quotes an SQL identifier (schema or database name) for use in DDL. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
