import {
  type ApiKeyInfo,
  type Database,
  findApiKeyByHash,
  hashApiKey,
  touchApiKey,
} from "@nasvae/db";

export interface ApiKeyVerifierOptions {
  /** Keys from the API_KEYS setting, in clear (only their hashes are kept). */
  configuredKeys: string[];
  /** Those of them marked `admin:` in the setting. */
  adminKeys?: string[];
  /** How long a lookup is trusted before Postgres is asked again. Default: 30 s. */
  cacheMs?: number;
  /** Shortest interval between two `last_used_at` writes for one key. Default: 60 s. */
  touchIntervalMs?: number;
}

/** Who a valid key belongs to, as far as a request needs to know. */
export interface Principal {
  keyId: string | null;
  name: string;
  prefix: string;
  /** sha256 of the key (as in api_keys.key_hash): what per-key caps count by. */
  keyHash: string;
  /** May use the queue dashboard's actions. */
  admin: boolean;
}

export type Verification =
  | { ok: true; principal: Principal }
  | { ok: false; reason: "unknown" | "revoked" };

/** The shortest key API_KEYS accepts: anything shorter could be guessed. */
export const MIN_KEY_LENGTH = 16;

/**
 * Decides whether a presented key is valid. A key is valid when Postgres has it and it is not
 * revoked, and either `nasvae keys create` made it or it is in the current API_KEYS (so a key
 * dropped from the setting stops working). Lookups are cached briefly: revocation takes effect
 * within `cacheMs`. Keys of the setting keep working while Postgres is unreachable.
 */
export class ApiKeyVerifier {
  private readonly configured: Map<string, number>;
  private readonly adminHashes: Set<string>;
  private readonly cache = new Map<string, { at: number; row: ApiKeyInfo | null }>();
  private readonly touchedAt = new Map<string, number>();
  private readonly cacheMs: number;
  private readonly touchIntervalMs: number;

  constructor(
    private readonly db: Database,
    options: ApiKeyVerifierOptions,
  ) {
    this.configured = new Map(options.configuredKeys.map((key, i) => [hashApiKey(key), i]));
    this.adminHashes = new Set((options.adminKeys ?? []).map(hashApiKey));
    this.cacheMs = options.cacheMs ?? 30_000;
    this.touchIntervalMs = options.touchIntervalMs ?? 60_000;
  }

  async verify(key: string): Promise<Verification> {
    const hash = hashApiKey(key);
    const configuredIndex = this.configured.get(hash);
    let row: ApiKeyInfo | null;
    try {
      row = await this.lookup(hash);
    } catch (error) {
      // Postgres is down: a key of the setting is still known to be good; others cannot be told.
      if (configuredIndex !== undefined) return { ok: true, principal: this.fromSetting(key) };
      throw error;
    }
    if (row?.revokedAt) return { ok: false, reason: "revoked" };
    if (configuredIndex !== undefined) {
      if (row) this.touch(row.id);
      return {
        ok: true,
        principal: row
          ? {
              keyId: row.id,
              name: row.name,
              prefix: row.prefix,
              keyHash: hash,
              admin: this.adminHashes.has(hash),
            }
          : this.fromSetting(key),
      };
    }
    if (row && row.source === "cli") {
      this.touch(row.id);
      return {
        ok: true,
        principal: {
          keyId: row.id,
          name: row.name,
          prefix: row.prefix,
          keyHash: hash,
          admin: row.admin,
        },
      };
    }
    return { ok: false, reason: "unknown" };
  }

  /**
   * Whether the key is known to be valid without asking Postgres: a key of the setting, or one
   * whose lookup is cached. False when only a lookup could tell.
   */
  knownGood(key: string): boolean {
    const hash = hashApiKey(key);
    const cached = this.cache.get(hash);
    if (cached && Date.now() - cached.at < this.cacheMs) {
      const row = cached.row;
      return !!row && !row.revokedAt && (this.configured.has(hash) || row.source === "cli");
    }
    return this.configured.has(hash);
  }

  private fromSetting(key: string): Principal {
    const index = this.configured.get(hashApiKey(key)) ?? 0;
    return {
      keyId: null,
      name: `API_KEYS[${index}]`,
      prefix: key.slice(0, 12),
      keyHash: hashApiKey(key),
      admin: this.adminHashes.has(hashApiKey(key)),
    };
  }

  private async lookup(hash: string): Promise<ApiKeyInfo | null> {
    const cached = this.cache.get(hash);
    if (cached && Date.now() - cached.at < this.cacheMs) return cached.row;
    const row = await findApiKeyByHash(this.db, hash);
    // Bounded: a flood of made-up keys must not grow memory without end.
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(hash, { at: Date.now(), row });
    return row;
  }

  /** Records use at most once per interval per key, without delaying the request. */
  private touch(id: string): void {
    const last = this.touchedAt.get(id) ?? 0;
    if (Date.now() - last < this.touchIntervalMs) return;
    this.touchedAt.set(id, Date.now());
    touchApiKey(this.db, id).catch(() => {});
  }
}
