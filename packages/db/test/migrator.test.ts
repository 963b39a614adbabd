import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { migrate, parseDatabaseUrl, readMigrations } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

describe("migrator", () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase("migrator");
  });
  after(async () => {
    await database.drop();
  });

  async function query<Row extends pg.QueryResultRow>(sql: string): Promise<Row[]> {
    const client = new pg.Client({
      connectionString: parseDatabaseUrl(database.url).connectionString,
    });
    await client.connect();
    try {
      await client.query(`SET search_path TO "${database.schema}"`);
      return (await client.query<Row>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  test("records every migration in Prisma's _prisma_migrations table", async () => {
    const migrations = await readMigrations();
    assert.ok(migrations.length >= 1);
    const rows = await query<{
      migration_name: string;
      checksum: string;
      applied_steps_count: number;
    }>(
      `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations"
       WHERE finished_at IS NOT NULL ORDER BY migration_name`,
    );
    assert.deepEqual(
      rows.map((row) => [row.migration_name, row.checksum, row.applied_steps_count]),
      migrations.map((m) => [m.name, m.checksum, 1]),
    );
  });

  test("is idempotent: a second run applies nothing", async () => {
    const result = await migrate({ databaseUrl: database.url });
    assert.deepEqual(result.applied, []);
    assert.equal(result.alreadyApplied.length, (await readMigrations()).length);
  });

  test("creates the snake_case tables and the campaign_evaluations view", async () => {
    const rows = await query<{ table_name: string; table_type: string }>(
      `SELECT table_name, table_type FROM information_schema.tables
       WHERE table_schema = current_schema() ORDER BY table_name`,
    );
    const names = rows.map((row) => row.table_name);
    for (const table of [
      "campaigns",
      "rounds",
      "architectures",
      "evaluations",
      "trials",
      "model_snapshots",
      "api_keys",
      "learning_curve_points",
    ]) {
      assert.ok(names.includes(table), `missing table ${table}`);
    }
    assert.ok(rows.some((r) => r.table_name === "campaign_evaluations" && r.table_type === "VIEW"));
  });

  test("the Prisma client reads and writes every model through the migrated schema", async () => {
    const { db } = database;
    const campaign = await db.campaign.create({
      data: {
        name: "schema check",
        searchSpace: "nas-bench-201",
        evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
        evaluatorFingerprint: "f",
        strategy: { kind: "random" },
        budgetEvaluations: 1,
        roundSize: 1,
        seed: 1,
      },
    });
    const round = await db.round.create({
      data: { campaignId: campaign.id, index: 0, strategy: "random", proposed: 1 },
    });
    const architecture = await db.architecture.create({
      data: { searchSpace: "nas-bench-201", canonicalHash: "h", archString: "a" },
    });
    const evaluation = await db.evaluation.create({
      data: {
        architectureId: architecture.id,
        evaluatorFingerprint: "f",
        evaluator: {},
        validationAccuracy: 90.5,
        testAccuracy: 93.25,
        flops: 220_119_690,
        params: 1_531_546,
        worker: "w",
        durationMs: 3,
      },
    });
    await db.trial.create({
      data: {
        campaignId: campaign.id,
        roundId: round.id,
        architectureId: architecture.id,
        archString: "a",
        status: "completed",
        evaluationId: evaluation.id,
        finishedAt: new Date(),
      },
    });
    const [row] = await query<{ arch_string: string; flops: number; round: number }>(
      "SELECT arch_string, flops, round FROM campaign_evaluations",
    );
    assert.deepEqual(row, { arch_string: "a", flops: 220_119_690, round: 0 });
    assert.equal((await db.evaluation.findFirstOrThrow()).metrics instanceof Object, true);

    await db.learningCurvePoint.create({
      data: {
        architectureId: architecture.id,
        evaluatorFingerprint: "f",
        epoch: 1,
        validationAccuracy: 41.5,
        durationMs: 1200,
        worker: "w",
      },
    });
    assert.equal((await db.learningCurvePoint.findFirstOrThrow()).validationAccuracy, 41.5);
    await db.apiKey.create({
      data: { name: "k", prefix: "nasvae_abc", keyHash: "x", source: "cli" },
    });
    assert.equal((await db.apiKey.findFirstOrThrow()).revokedAt, null);
  });
});
