// Checks that Postgres and Redis answer before anything starts, and says how to fix it if not.
import { parseDatabaseUrl } from "@nasvae/db";
import { redisAddress } from "@nasvae/jobs";
import { Redis } from "ioredis";
import pg from "pg";

export interface PreflightProblem {
  service: "PostgreSQL" | "Redis";
  address: string;
  error: string;
  hint: string;
}

export async function checkServices(
  databaseUrl: string,
  redisUrl: string,
): Promise<PreflightProblem[]> {
  const problems = await Promise.all([checkPostgres(databaseUrl), checkRedis(redisUrl)]);
  return problems.filter((problem): problem is PreflightProblem => problem !== null);
}

async function checkPostgres(databaseUrl: string): Promise<PreflightProblem | null> {
  const target = parseDatabaseUrl(databaseUrl);
  // The server, not the database: db:migrate creates the database when it is missing.
  const serverUrl = new URL(target.connectionString);
  serverUrl.pathname = "/postgres";
  const client = new pg.Client({
    connectionString: serverUrl.toString(),
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return {
      service: "PostgreSQL",
      address: target.address,
      error: (error as Error).message,
      hint:
        "start it (Debian: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start; " +
        "Docker: docker compose up -d postgres, with DATABASE_URL as in .env.example) or point DATABASE_URL at a running server",
    };
  } finally {
    await client.end().catch(() => {});
  }
}

async function checkRedis(redisUrl: string): Promise<PreflightProblem | null> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return {
      service: "Redis",
      address: redisAddress(redisUrl),
      error: (error as Error).message,
      hint:
        'start it (redis-server --daemonize yes --port 6379 --save "" --appendonly no; ' +
        "Docker: docker compose up -d redis) or point REDIS_URL at a running server",
    };
  } finally {
    redis.disconnect();
  }
}

export function describeProblems(problems: PreflightProblem[]): string {
  return problems
    .map(
      (p) => `${p.service} is unreachable at ${p.address} (${p.error}).\n  How to fix: ${p.hint}`,
    )
    .join("\n");
}

/** Prints what is down and how to start it, and exits, unless Postgres and Redis both answer. */
export async function exitUnlessServicesUp(databaseUrl: string, redisUrl: string): Promise<void> {
  const problems = await checkServices(databaseUrl, redisUrl);
  if (problems.length === 0) return;
  console.error(describeProblems(problems));
  process.exit(1);
}
