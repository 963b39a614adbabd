import { createHash, randomBytes } from "node:crypto";
import type { Database } from "../client.ts";

/** Where a key came from: `nasvae keys create`, or the API_KEYS setting. */
export type ApiKeySource = "cli" | "env";

export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  source: ApiKeySource;
  /** May use the queue dashboard's actions. */
  admin: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Characters of a key kept in clear, to tell keys apart in listings and logs. */
const PREFIX_LENGTH = 12;

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export function apiKeyPrefix(key: string): string {
  return key.slice(0, PREFIX_LENGTH);
}

const infoFields = {
  id: true,
  name: true,
  prefix: true,
  source: true,
  admin: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

/** Makes a new random key (256 bits) and stores its hash; the plaintext is returned only here. */
export async function createApiKey(
  db: Database,
  input: { name: string; admin?: boolean },
): Promise<{
  id: string;
  name: string;
  key: string;
  prefix: string;
  admin: boolean;
  createdAt: Date;
}> {
  const key = `nasvae_${randomBytes(32).toString("base64url")}`;
  const row = await db.apiKey.create({
    data: {
      name: input.name,
      prefix: apiKeyPrefix(key),
      keyHash: hashApiKey(key),
      source: "cli",
      admin: input.admin ?? false,
    },
  });
  return {
    id: row.id,
    name: row.name,
    key,
    prefix: row.prefix,
    admin: row.admin,
    createdAt: row.createdAt,
  };
}

/**
 * Stores the keys of the API_KEYS setting (hashed) so that they are listed and their use is
 * recorded. A key revoked earlier stays revoked: revocation wins over configuration.
 */
export async function seedApiKeys(
  db: Database,
  keys: string[],
  adminKeys: string[] = [],
): Promise<void> {
  const admins = new Set(adminKeys);
  await db.apiKey.createMany({
    data: keys.map((key, index) => ({
      name: `API_KEYS[${index}]`,
      prefix: apiKeyPrefix(key),
      keyHash: hashApiKey(key),
      source: "env",
      admin: admins.has(key),
    })),
    skipDuplicates: true,
  });
  // The setting decides an env key's scope: follow it when a key gains or loses `admin:`.
  for (const key of keys) {
    await db.apiKey.updateMany({
      where: { keyHash: hashApiKey(key), source: "env" },
      data: { admin: admins.has(key) },
    });
  }
}

export async function listApiKeys(db: Database): Promise<ApiKeyInfo[]> {
  const rows = await db.apiKey.findMany({ select: infoFields, orderBy: { createdAt: "asc" } });
  return rows.map((row) => ({ ...row, source: row.source as ApiKeySource }));
}

/** The key with this hash, revoked or not; null when there is none. */
export async function findApiKeyByHash(db: Database, keyHash: string): Promise<ApiKeyInfo | null> {
  const row = await db.apiKey.findUnique({ where: { keyHash }, select: infoFields });
  return row ? { ...row, source: row.source as ApiKeySource } : null;
}

/** Revokes a key by id; false when there is no such key or it was already revoked. */
export async function revokeApiKey(db: Database, id: string): Promise<boolean> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (!uuid.test(id)) return false;
  const { count } = await db.apiKey.updateMany({
    where: { id, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count === 1;
}

export async function touchApiKey(db: Database, id: string, at = new Date()): Promise<void> {
  await db.apiKey.updateMany({ where: { id }, data: { lastUsedAt: at } });
}
