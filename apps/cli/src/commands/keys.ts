// Types only: @nasvae/db (Prisma) is loaded when a keys command runs, not on every start.
import type { ApiKeyInfo, Database } from "@nasvae/db";
import { expectPositionals, parseCommandLine } from "../args.ts";
import { type CliIo, type Command, println, settingsFor } from "../command.ts";
import { CliError, UsageError } from "../errors.ts";
import { shortTime } from "../format/numbers.ts";
import { formatTable } from "../format/table.ts";

/**
 * A database failure as one line. Prisma's codes: P1001 unreachable, P1000 authentication,
 * P1003 no such database, P2021 no such table (migrations not applied).
 */
function databaseProblem(error: unknown, address: string): CliError | undefined {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const where = `PostgreSQL at ${address} (DATABASE_URL)`;
  switch (code) {
    case "P1001":
      return new CliError(`could not reach ${where}`, [
        "the keys commands work on the API's database directly: is PostgreSQL running, and is DATABASE_URL the API's?",
      ]);
    case "P1000":
      return new CliError(`${where} refused the credentials`);
    case "P1003":
      return new CliError(`the database of ${where} does not exist`, [
        "`npm run db:migrate` creates it",
      ]);
    case "P2021":
      return new CliError(`${where} has no api_keys table`, [
        "apply the migrations first: `npm run db:migrate`",
      ]);
  }
  // Prisma's message starts with where it was called from; its last line says what went wrong.
  if (typeof code === "string" && typeof message === "string") {
    return new CliError(`${where}: ${message.trim().split("\n").at(-1)}`);
  }
  return undefined;
}

/** Runs `work` with a client of DATABASE_URL, always disconnecting; connection problems become one line. */
async function withDatabase<T>(io: CliIo, flags: object, work: (db: Database) => Promise<T>) {
  const { databaseUrl } = await settingsFor(io, flags);
  const { createDatabase, parseDatabaseUrl } = await import("@nasvae/db");
  const target = parseDatabaseUrl(databaseUrl);
  const schema = target.schema === "public" ? "" : ` (schema ${target.schema})`;
  const address = `${target.address}/${target.database}${schema}`;
  const db = createDatabase(databaseUrl, { maxConnections: 1 });
  try {
    return await work(db);
  } catch (error) {
    throw databaseProblem(error, address) ?? error;
  } finally {
    await db.$disconnect();
  }
}

function status(key: ApiKeyInfo): string {
  return key.revokedAt ? `revoked ${shortTime(key.revokedAt)}` : "active";
}

export function keysTable(keys: ApiKeyInfo[]): string {
  return formatTable(
    [
      { header: "ID" },
      { header: "NAME" },
      { header: "PREFIX" },
      { header: "SOURCE" },
      { header: "SCOPE" },
      { header: "CREATED" },
      { header: "LAST USED" },
      { header: "STATUS" },
    ],
    keys.map((key) => [
      key.id,
      key.name,
      `${key.prefix}…`,
      key.source,
      key.admin ? "admin" : "campaigns",
      shortTime(key.createdAt),
      key.lastUsedAt ? shortTime(key.lastUsedAt) : "never",
      status(key),
    ]),
  );
}

const KEYS_NOTE = `API keys live in the API's database, so these commands talk to PostgreSQL directly
(DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/nasvae), not to the API.`;

export const keysCreateCommand: Command = {
  name: "keys create",
  summary: "make an API key (printed once)",
  help: `Usage: nasvae keys create --name NAME [--admin]

Makes an API key for the REST API and prints it once: only its hash is stored, so it cannot be
shown again. Send it as \`Authorization: Bearer KEY\`, or set NASVAE_API_KEY for this CLI.

${KEYS_NOTE}

Options:
  --name NAME   who or what the key is for (shown by \`nasvae keys list\`)
  --admin       an admin key: it may also use the queue dashboard's actions (retry, clean,
                pause, empty, obliterate), which act on every campaign's jobs; other keys
                create and control campaigns, and only look at the dashboard

Example:
  nasvae keys create --name "ci pipeline"`,

  async run(argv, io) {
    const { values, positionals } = parseCommandLine(
      this.name,
      { name: { type: "string" }, admin: { type: "boolean" } },
      argv,
    );
    expectPositionals(this.name, positionals, []);
    const name = values.name?.trim();
    if (!name) throw new UsageError("--name is required (what the key is for)", this.name);
    const { createApiKey } = await import("@nasvae/db");
    const admin = values.admin === true;
    const key = await withDatabase(io, values, (db) => createApiKey(db, { name, admin }));
    println(io.stdout, key.key);
    println(
      io.stderr,
      `created ${admin ? "admin " : ""}key "${key.name}" (id ${key.id}); this is the only time it is shown: store it now.`,
    );
    println(io.stderr, "use it with: export NASVAE_API_KEY=<the key above>");
    return 0;
  },
};

export const keysListCommand: Command = {
  name: "keys list",
  summary: "list API keys (never the keys themselves)",
  help: `Usage: nasvae keys list [--format table|json]

Lists API keys, oldest first: id, name, the first characters of the key, where it came from
(cli: \`nasvae keys create\`; env: the API_KEYS setting), when it was made and last used, and
whether it is revoked.

${KEYS_NOTE}

Options:
  --format FORMAT   table (default) or json`,

  async run(argv, io) {
    const { values, positionals } = parseCommandLine(
      this.name,
      { format: { type: "string" } },
      argv,
    );
    expectPositionals(this.name, positionals, []);
    if (values.format !== undefined && values.format !== "table" && values.format !== "json") {
      throw new UsageError(`--format must be table or json, got "${values.format}"`, this.name);
    }
    const { listApiKeys } = await import("@nasvae/db");
    const keys = await withDatabase(io, values, listApiKeys);
    if (values.format === "json") {
      println(io.stdout, JSON.stringify(keys, null, 2));
    } else if (keys.length === 0) {
      println(io.stderr, "no API keys yet; `nasvae keys create --name NAME` makes one");
    } else {
      println(io.stdout, keysTable(keys));
    }
    return 0;
  },
};

export const keysRevokeCommand: Command = {
  name: "keys revoke",
  summary: "revoke an API key by id",
  help: `Usage: nasvae keys revoke ID

Revokes an API key: the API refuses it from then on. The id is the first column of
\`nasvae keys list\`. A key from the API_KEYS setting stays revoked even if it is still configured.

${KEYS_NOTE}`,

  async run(argv, io) {
    const { values, positionals } = parseCommandLine(this.name, {}, argv);
    const [id] = expectPositionals(this.name, positionals, ["ID"]) as [string];
    const { listApiKeys, revokeApiKey } = await import("@nasvae/db");
    const outcome = await withDatabase(io, values, async (db) => {
      if (await revokeApiKey(db, id)) return "revoked";
      const key = (await listApiKeys(db)).find((candidate) => candidate.id === id);
      return key?.revokedAt ? `already revoked ${shortTime(key.revokedAt)}` : undefined;
    });
    if (outcome === undefined) {
      throw new CliError(`no API key with id ${id}`, ["`nasvae keys list` shows the ids"]);
    }
    println(io.stdout, outcome === "revoked" ? `revoked key ${id}` : `key ${id} was ${outcome}`);
    return 0;
  },
};
