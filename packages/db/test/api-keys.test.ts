import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  createApiKey,
  findApiKeyByHash,
  findLearningCurve,
  hashApiKey,
  listApiKeys,
  recordEpoch,
  revokeApiKey,
  seedApiKeys,
} from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

describe("api keys and learning curves", () => {
  let database: TestDatabase;

  before(async () => {
    database = await createTestDatabase("api_keys");
  });
  after(async () => {
    await database.drop();
  });

  test("a created key is stored only as its hash, and is found by it", async () => {
    const created = await createApiKey(database.db, { name: "ci" });
    assert.match(created.key, /^nasvae_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.prefix, created.key.slice(0, 12));
    const row = await database.db.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    assert.equal(row.keyHash, hashApiKey(created.key));
    assert.ok(!JSON.stringify(row).includes(created.key), "the plaintext key must not be stored");
    const found = await findApiKeyByHash(database.db, hashApiKey(created.key));
    assert.equal(found?.id, created.id);
    assert.equal(found?.source, "cli");
    assert.equal(await findApiKeyByHash(database.db, hashApiKey("nasvae_other")), null);
  });

  test("seeding is idempotent and a revoked key stays revoked when seeded again", async () => {
    const key = "seeded-key-0123456789";
    await seedApiKeys(database.db, [key]);
    await seedApiKeys(database.db, [key]);
    const seeded = (await listApiKeys(database.db)).filter((k) => k.source === "env");
    assert.equal(seeded.length, 1);
    assert.equal(seeded[0]?.name, "API_KEYS[0]");
    const id = seeded[0]?.id ?? "";
    assert.equal(await revokeApiKey(database.db, id), true);
    assert.equal(await revokeApiKey(database.db, id), false, "already revoked");
    await seedApiKeys(database.db, [key]);
    assert.notEqual((await findApiKeyByHash(database.db, hashApiKey(key)))?.revokedAt, null);
    assert.equal(await revokeApiKey(database.db, "not-a-uuid"), false);
  });

  test("a learning curve is kept in epoch order and a re-run overwrites its epochs", async () => {
    const architecture = await database.db.architecture.create({
      data: { searchSpace: "nas-bench-201", canonicalHash: "lc", archString: "a" },
    });
    const base = { architectureId: architecture.id, evaluatorFingerprint: "f", worker: "w" };
    await recordEpoch(database.db, { ...base, epoch: 2, validationAccuracy: 50, durationMs: 10 });
    await recordEpoch(database.db, { ...base, epoch: 1, validationAccuracy: 30, durationMs: 10 });
    await recordEpoch(database.db, { ...base, epoch: 1, validationAccuracy: 35, durationMs: 12 });
    const curve = await findLearningCurve(database.db, architecture.id, "f");
    assert.deepEqual(
      curve.map((point) => [point.epoch, point.validationAccuracy, point.durationMs]),
      [
        [1, 35, 12],
        [2, 50, 10],
      ],
    );
    assert.deepEqual(await findLearningCurve(database.db, architecture.id, "other"), []);
  });
});
