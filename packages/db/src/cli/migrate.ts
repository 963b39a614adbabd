// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL.
import { envSchema, parseEnv } from "@nasvae/config";
import { parseDatabaseUrl } from "../database-url.ts";
import { migrate } from "../migrator.ts";

const env = parseEnv(envSchema("DATABASE_URL"));
const target = parseDatabaseUrl(env.DATABASE_URL);
try {
  const result = await migrate({ databaseUrl: env.DATABASE_URL, log: (m) => console.log(m) });
  console.log(
    `database ${target.database} (schema ${target.schema}) at ${target.address}: ` +
      `${result.applied.length} migration(s) applied, ${result.alreadyApplied.length} already applied`,
  );
} catch (error) {
  console.error(
    `db:migrate failed for ${target.address}/${target.database}: ${(error as Error).message}`,
  );
  process.exitCode = 1;
}
