// The campaign statuses of the contracts are those of the database: Prisma's CampaignStatus
// enum, read from prisma/schema.prisma (no database needed: unit lane).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { CAMPAIGN_STATUSES } from "../src/index.ts";

/** The values of a Prisma enum, in order (comments and @@ attributes left out). */
function prismaEnum(schema: string, name: string): string[] {
  const body = new RegExp(`^enum ${name} \\{([^}]*)\\}`, "m").exec(schema)?.[1];
  assert.ok(body !== undefined, `enum ${name} not found in schema.prisma`);
  return body
    .split("\n")
    .map((line) => line.replace(/\/\/.*$/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("@@"))
    .map((line) => line.split(/\s+/)[0] as string);
}

test("CAMPAIGN_STATUSES are Prisma's CampaignStatus enum, in the same order", () => {
  const schema = readFileSync(new URL("../../../prisma/schema.prisma", import.meta.url), "utf8");
  assert.deepEqual([...CAMPAIGN_STATUSES], prismaEnum(schema, "CampaignStatus"));
});
