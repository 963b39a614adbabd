// docs/configuration.md lists every environment variable the apps' schemas declare, with the
// schema's default and the apps that read it, so the page cannot drift from the code.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { test } from "node:test";
import { envFields } from "@nasvae/config";
import { apiEnvSchema } from "../../apps/api/src/config.ts";
import { cliEnvSchema } from "../../apps/cli/src/settings.ts";
import { coordinatorEnvSchema } from "../../apps/coordinator/src/config.ts";
import { workerEnvSchema } from "../../apps/worker/src/config.ts";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const doc = read("docs/configuration.md");

interface Row {
  defaultCell: string;
  usedBy: Set<string>;
}

/** The rows of the table under "## Variables of the apps": `| \`NAME\` | default | used by | meaning |`. */
function documented(): Map<string, Row> {
  const section = doc.split(/^## /m).find((part) => part.startsWith("Variables of the apps"));
  assert.ok(section, 'docs/configuration.md has a "## Variables of the apps" section');
  const rows = new Map<string, Row>();
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const name = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[1] ?? "")?.[1];
    if (!name) continue;
    assert.ok(!rows.has(name), `${name} is documented once`);
    const usedBy = new Set((cells[3] ?? "").split(",").map((app) => app.trim()));
    rows.set(name, { defaultCell: cells[2] ?? "", usedBy });
  }
  return rows;
}

/** How the page writes a schema default: `value`, "empty" or "unset ...". */
function expectedDefault(schema: object): RegExp {
  if (!("default" in schema)) return /^unset\b/;
  if (schema.default === "") return /^empty$/;
  const shown = String(schema.default).replace(tmpdir(), "<OS temp dir>");
  return new RegExp(`^\`${shown.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\``);
}

/** The variables `npm start` and the demo read (scripts/stack.ts, scripts/demo.ts). */
function stackVariables(): string[] {
  return ["scripts/stack.ts", "scripts/demo.ts"].flatMap((path) => {
    const call = /envSchema\(([^)]*)\)/.exec(read(path))?.[1];
    assert.ok(call, `${path} builds its environment schema with envSchema(...)`);
    return [...call.matchAll(/"([A-Z_0-9]+)"/g)].map((match) => match[1] as string);
  });
}

test("docs/configuration.md documents exactly the variables the schemas declare", async () => {
  const cli = await cliEnvSchema();
  const declared = new Set([...Object.keys(envFields), ...Object.keys(cli.properties)]);
  assert.deepEqual([...documented().keys()].sort(), [...declared].sort());
});

test("each documented default is the schema's", async () => {
  const cli = await cliEnvSchema();
  const schemas = { ...envFields, ...cli.properties } as Record<string, object>;
  for (const [name, row] of documented()) {
    const schema = schemas[name];
    assert.ok(schema, `${name} is declared`);
    assert.match(row.defaultCell, expectedDefault(schema), `the default of ${name}`);
  }
});

test("each variable's 'used by' names exactly the apps whose schema reads it", async () => {
  const apps: Record<string, Iterable<string>> = {
    api: Object.keys(apiEnvSchema.properties),
    coordinator: Object.keys(coordinatorEnvSchema.properties),
    worker: Object.keys(workerEnvSchema.properties),
    cli: Object.keys((await cliEnvSchema()).properties),
    stack: stackVariables(),
  };
  const rows = documented();
  for (const [app, variables] of Object.entries(apps)) {
    const documentedFor = [...rows].filter(([, row]) => row.usedBy.has(app)).map(([name]) => name);
    assert.deepEqual(documentedFor.sort(), [...new Set(variables)].sort(), `variables of ${app}`);
  }
  for (const [name, row] of rows) {
    for (const app of row.usedBy) assert.ok(app in apps, `${name}: unknown app "${app}"`);
  }
});
