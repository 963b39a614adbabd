// docs/sql.md against a migrated database: every query it shows runs, every table and view it
// names exists, and the columns it lists for campaign_evaluations are the view's columns.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import pg from "pg";

const doc = readFileSync(new URL("../../../docs/sql.md", import.meta.url), "utf8");

/** The ```sql blocks of the page, placeholders filled in. */
function documentedQueries(): string[] {
  return [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) =>
    (match[1] ?? "")
      .replaceAll("<id>", "00000000-0000-0000-0000-000000000000")
      .replace(/'<[^>]+>'/g, "'x'")
      .trim()
      .replace(/;$/, ""),
  );
}

/** First-column names of the markdown table under the line that starts with `| header`. */
function tableNames(header: string): string[] {
  const lines = doc.split("\n");
  const start = lines.findIndex((line) => line.startsWith(`| ${header}`));
  assert.ok(start >= 0, `docs/sql.md has a table headed "${header}"`);
  const names: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    const name = /^\|\s*`([a-z_]+)`/.exec(line)?.[1];
    if (name) names.push(name);
  }
  return names;
}

describe("docs/sql.md", () => {
  let database: TestDatabase;
  let client: pg.Client;

  before(async () => {
    database = await createTestDatabase("sql_docs");
    const url = new URL(database.url);
    url.searchParams.delete("schema");
    client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await client.query(`SET search_path TO "${database.schema}"`);
  });
  after(async () => {
    await client?.end();
    await database?.drop();
  });

  test("every query on the page runs against the migrated schema", async () => {
    const queries = documentedQueries();
    assert.ok(queries.length >= 8, `found ${queries.length} queries`);
    for (const sql of queries) {
      await client.query(sql).catch((error: Error) => {
        assert.fail(`${error.message}\nin the query:\n${sql}`);
      });
    }
  });

  test("the tables and views it lists exist", async () => {
    const { rows } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1",
      [database.schema],
    );
    const existing = new Set(rows.map((row) => row.table_name));
    const named = [...tableNames("table"), ...tableNames("view"), "campaign_evaluations"];
    assert.ok(named.length >= 10);
    for (const name of named) assert.ok(existing.has(name), `${name} exists`);
    // Every table and view of the schema is on the page.
    for (const name of existing) {
      if (name.startsWith("_prisma")) continue;
      assert.match(doc, new RegExp(`\`${name}\``), `docs/sql.md names ${name}`);
    }
  });

  test("the columns it lists for campaign_evaluations are the view's, in order", async () => {
    const paragraph = /Its columns: ([^.]*)\./.exec(doc)?.[1] ?? "";
    const listed = [...paragraph.matchAll(/`([a-z_]+)`/g)].map((match) => match[1]);
    const { rows } = await client.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = 'campaign_evaluations' ORDER BY ordinal_position`,
      [database.schema],
    );
    assert.deepEqual(
      listed,
      rows.map((row) => row.column_name),
    );
  });
});
