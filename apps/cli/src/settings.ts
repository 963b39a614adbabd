import { UsageError } from "./errors.ts";

export const DEFAULT_API_URL = "http://127.0.0.1:3000";

/**
 * The environment the CLI reads. Built on first use: TypeBox and @nasvae/config take most of a
 * second to load, which `--help` and usage errors need not pay.
 */
export async function cliEnvSchema() {
  const [{ envFields }, { default: Type }] = await Promise.all([
    import("@nasvae/config"),
    import("typebox"),
  ]);
  return Type.Object({
    /** The API the campaign commands talk to. */
    NASVAE_URL: Type.String({ default: DEFAULT_API_URL, pattern: "^https?://" }),
    /** Sent as `Authorization: Bearer KEY` on every request; writes need one. */
    NASVAE_API_KEY: Type.String({ default: "" }),
    /** PostgreSQL, for the `keys` commands (they manage keys in the database, not over the API). */
    DATABASE_URL: envFields.DATABASE_URL,
  });
}

export interface Settings {
  apiUrl: string;
  apiKey: string | undefined;
  databaseUrl: string;
}

/** Flags that override the environment, whatever the command. */
export interface GlobalFlags {
  url?: string | undefined;
  "api-key"?: string | undefined;
}

/**
 * The environment, parsed once per run, then `--url` / `--api-key` over it. A bad variable
 * throws @nasvae/config's ConfigError naming it; a bad flag is a usage error.
 */
export async function resolveSettings(
  env: Record<string, string | undefined>,
  flags: GlobalFlags,
): Promise<Settings> {
  if (flags.url !== undefined && !/^https?:\/\/[^/]/.test(flags.url)) {
    throw new UsageError(`--url must be an http:// or https:// address, got "${flags.url}"`);
  }
  const { parseEnv } = await import("@nasvae/config");
  const parsed = parseEnv(await cliEnvSchema(), env);
  const apiUrl = flags.url ?? parsed.NASVAE_URL;
  const apiKey = flags["api-key"] ?? parsed.NASVAE_API_KEY;
  return {
    apiUrl: apiUrl.replace(/\/+$/, ""),
    apiKey: apiKey === "" ? undefined : apiKey,
    databaseUrl: parsed.DATABASE_URL,
  };
}
