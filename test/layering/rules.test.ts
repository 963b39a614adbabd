// The layering rules can fail: each one run on a small in-memory repository that breaks it,
// and the failure names the chain of imports (test/layering/layering.test.ts runs them on ours).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  appInternalsFromTools,
  buildImportGraph,
  contractsDependencies,
  fileCycles,
  importsOf,
  mlReachedFrom,
  packageCycles,
  prismaDelegateCalls,
  prismaDelegates,
  prismaImports,
  rawPrismaQueries,
  report,
  undeclaredWorkspaceImports,
  type WorkspacePackage,
} from "./import-graph.ts";

function pkg(name: string, dir: string, dependencies: string[] = []): WorkspacePackage {
  return {
    name: `@nasvae/${name}`,
    dir,
    exports: { ".": `${dir}/src/index.ts`, "./testing": `${dir}/src/testing.ts` },
    dependencies: dependencies.map((dependency) => `@nasvae/${dependency}`),
    devDependencies: [],
  };
}

const PACKAGES = [
  pkg("api", "apps/api", ["db", "strategies"]),
  pkg("cli", "apps/cli"),
  pkg("coordinator", "apps/coordinator", ["db"]),
  pkg("db", "packages/db"),
  pkg("strategies", "packages/strategies", ["graph-vae"]),
  pkg("graph-vae", "packages/graph-vae"),
  pkg("contracts", "packages/contracts"),
];

/** A small repository that keeps every rule, to which each test adds one offence. */
const CLEAN: Record<string, string> = {
  "apps/api/src/server.ts": `import { build } from "./build.ts";\nawait build();`,
  "apps/api/src/build.ts": `import { createDatabase } from "@nasvae/db";\nexport const build = async () => createDatabase();`,
  "apps/cli/src/main.ts": `import { parse } from "yaml";\nparse("a: 1");`,
  "apps/coordinator/src/main.ts": `import { listCampaigns } from "@nasvae/db";\nimport { roundSeed } from "./round-seed.ts";\nawait listCampaigns(roundSeed);`,
  "apps/coordinator/src/round-seed.ts": "export const roundSeed = 1;",
  "packages/db/src/index.ts": `import { PrismaClient } from "./generated/client.ts";\nexport const createDatabase = () => new PrismaClient();\nexport const listCampaigns = (db: any) => db.$queryRaw\`SELECT 1\`;`,
  "packages/db/src/generated/client.ts": `export { PrismaClient } from "@prisma/client";`,
  "packages/strategies/src/index.ts": `export async function load() { return import("@nasvae/graph-vae"); }`,
  "packages/graph-vae/src/index.ts": `import * as tf from "@tensorflow/tfjs";\nexport const t = tf;`,
  "packages/contracts/src/index.ts": `import Type from "typebox";\nimport Value from "typebox/value";\nimport { Spec } from "./spec.ts";\nexport const S = Value.Check(Type.Object({}), Spec);`,
  "packages/contracts/src/spec.ts": `export const Spec = {};`,
  "bench/search.ts": `import { load } from "@nasvae/strategies";\nawait load();`,
  "scripts/demo.ts": `import { createDatabase } from "@nasvae/db";\ncreateDatabase();`,
  "test/support/helper.ts": `import { roundSeed } from "../../apps/coordinator/src/round-seed.ts";\nexport const seed = roundSeed;`,
};

function graphWith(changes: Record<string, string> = {}, packages = PACKAGES) {
  return buildImportGraph(new Map(Object.entries({ ...CLEAN, ...changes })), packages);
}

const ENTRIES = ["apps/api/src/server.ts", "apps/cli/src/main.ts"];

describe("layering rules on fixtures", () => {
  test("the clean fixture keeps every rule", () => {
    const graph = graphWith();
    assert.deepEqual(graph.unresolved, []);
    const all = [
      ...mlReachedFrom(graph, ENTRIES),
      ...prismaImports(graph),
      ...rawPrismaQueries(graph),
      ...prismaDelegateCalls(graph, ["campaign"]),
      ...appInternalsFromTools(graph),
      ...packageCycles(graph),
      ...fileCycles(graph),
      ...undeclaredWorkspaceImports(graph),
      ...contractsDependencies(graph),
    ];
    assert.equal(all.length, 0, report(all));
  });

  test("imports: value, type, re-export, lazy import() and require, with their lines", () => {
    const found = importsOf(
      "a.ts",
      [
        `import x from "x";`,
        `import type { T } from "t";`,
        `import { type U } from "u";`,
        `export * from "./e.ts";`,
        `const m = await import("m");`,
        `const r = require("r");`,
        `type I = import("i").I;`,
        `const dynamic = await import(name);`,
      ].join("\n"),
    );
    assert.deepEqual(
      found.map(({ specifier, kind, line }) => `${line} ${kind} ${specifier}`),
      [
        "1 static x",
        "2 type t",
        "3 type u",
        "4 static ./e.ts",
        "5 dynamic m",
        "6 static r",
        "7 type i",
      ],
    );
  });

  test("a. a lazy import of an ML package from the API fails, naming the chain", () => {
    const graph = graphWith({
      "apps/api/src/build.ts": `import { createDatabase } from "@nasvae/db";\nimport { load } from "@nasvae/strategies";\nexport const build = async () => (await load(), createDatabase());`,
    });
    const violations = mlReachedFrom(graph, ENTRIES);
    assert.equal(violations.length, 1, report(violations));
    assert.equal(
      violations[0]?.message,
      [
        "apps/api/src/server.ts reaches @nasvae/graph-vae (TensorFlow.js must stay out of this process):",
        "    apps/api/src/server.ts:1",
        "    → apps/api/src/build.ts:2",
        "    → packages/strategies/src/index.ts:1 (import())",
        "    → packages/graph-vae/src/index.ts",
      ].join("\n"),
    );
  });

  test("a. TensorFlow.js itself, or a type import of it, fails too", () => {
    const graph = graphWith({
      "apps/cli/src/main.ts": `import type { Tensor } from "@tensorflow/tfjs-core";\nexport type T = Tensor;`,
    });
    const violations = mlReachedFrom(graph, ENTRIES);
    assert.match(report(violations), /apps\/cli\/src\/main.ts reaches npm:@tensorflow\/tfjs-core/);
    assert.match(report(violations), /apps\/cli\/src\/main.ts:1 \(import type\)/);
  });

  test("b. Prisma imported, raw SQL or a model call outside packages/db fails", () => {
    const graph = graphWith({
      "apps/coordinator/src/main.ts": [
        `import { Prisma } from "@prisma/client";`,
        `import { createDatabase } from "@nasvae/db";`,
        "const db = createDatabase();",
        "await db.$queryRaw`SELECT 1`;",
        "await db.campaign",
        "  .findMany({});",
        "export { Prisma };",
      ].join("\n"),
      // Tests may look at rows through the client, but not import Prisma themselves.
      "test/support/helper.ts": `import type { PrismaClient } from "../../packages/db/src/generated/client.ts";\nexport async function count(db: PrismaClient) { await db.$queryRaw\`SELECT 1\`; return db.campaign.count(); }`,
    });
    assert.deepEqual(
      prismaImports(graph).map((v) => v.message),
      [
        "apps/coordinator/src/main.ts:1 imports @prisma/client; import @nasvae/db and call a repository function instead",
        "test/support/helper.ts:1 imports ../../packages/db/src/generated/client.ts; import @nasvae/db and call a repository function instead",
      ],
    );
    assert.deepEqual(
      rawPrismaQueries(graph).map((v) => v.message),
      [
        "apps/coordinator/src/main.ts:4 runs raw SQL through the Prisma client ($queryRaw); put the query in packages/db/src/repositories",
      ],
    );
    assert.deepEqual(
      prismaDelegateCalls(graph, ["campaign", "trial"]).map((v) => v.message),
      [
        "apps/coordinator/src/main.ts:5 queries Prisma directly (campaign.findMany(…); put the query in packages/db/src/repositories",
      ],
    );
  });

  test("b. the delegates are the schema's models, as the client spells them", () => {
    const schema =
      "model Campaign {\n  id String\n}\n\nmodel LearningCurvePoint {\n}\nenum Status {\n}";
    assert.deepEqual(prismaDelegates(schema), ["campaign", "learningCurvePoint"]);
  });

  test("c. bench/ reaching an app's source, even through test/, fails with the chain", () => {
    const graph = graphWith({
      "packages/contracts/src/index.ts": `import Type from "typebox";\nimport Value from "typebox/value";\nimport { Spec } from "./spec.ts";\nexport const S = Value.Check(Type.Object({}), Spec);`,
      "packages/contracts/src/spec.ts": `export const Spec = {};`,
      "bench/search.ts": `import { seed } from "../test/support/helper.ts";\nimport { roundSeed } from "../apps/coordinator/src/round-seed.ts";\nexport const s = [seed, roundSeed];`,
    });
    assert.deepEqual(
      appInternalsFromTools(graph).map((v) => v.message),
      [
        "bench/search.ts reaches apps/coordinator/src/round-seed.ts (move what both need into a package):\n    bench/search.ts:2\n    → apps/coordinator/src/round-seed.ts",
        "bench/search.ts reaches apps/coordinator/src/round-seed.ts (move what both need into a package):\n    bench/search.ts:1\n    → test/support/helper.ts:1\n    → apps/coordinator/src/round-seed.ts",
      ],
    );
  });

  test("d. packages that import each other fail, naming the cycle", () => {
    const graph = graphWith({
      "packages/graph-vae/src/index.ts": `import { load } from "@nasvae/strategies";\nexport const l = load;`,
    });
    const violations = packageCycles(graph);
    assert.equal(violations.length, 1, report(violations));
    assert.equal(
      violations[0]?.message,
      [
        "packages @nasvae/strategies, @nasvae/graph-vae import each other:",
        "    packages/strategies/src/index.ts:1 (import())",
        "    → packages/graph-vae/src/index.ts:1",
        "    → packages/strategies/src/index.ts",
      ].join("\n"),
    );
  });

  test("d. files that import each other fail; a type-only or lazy cycle does not", () => {
    const graph = graphWith({
      "apps/coordinator/src/round-seed.ts": `import { x } from "./other.ts";\nexport const roundSeed = x;`,
      "apps/coordinator/src/other.ts": `import { roundSeed } from "./round-seed.ts";\nexport const x = 1;\nexport const y = roundSeed;`,
      "apps/api/src/a.ts": `import type { B } from "./b.ts";\nexport type A = B;`,
      "apps/api/src/b.ts": `export type B = import("./a.ts").A;\nexport const lazy = () => import("./a.ts");`,
    });
    const violations = fileCycles(graph);
    assert.equal(violations.length, 1, report(violations));
    assert.match(
      violations[0]?.message ?? "",
      /apps\/coordinator\/src\/round-seed.ts:1\n {4}→ apps\/coordinator\/src\/other.ts:1\n {4}→ apps\/coordinator\/src\/round-seed.ts$/,
    );
  });

  test("e. packages/contracts importing a workspace package or another npm package fails", () => {
    const graph = graphWith({
      "packages/contracts/src/spec.ts": `import { roundSeed } from "@nasvae/db";\nimport { z } from "zod";\nexport const Spec = { roundSeed, z };`,
    });
    const violations = contractsDependencies(graph);
    assert.equal(violations.length, 2, report(violations));
    assert.match(violations[0]?.message ?? "", /spec\.ts:1 imports @nasvae\/db/);
    assert.match(violations[1]?.message ?? "", /spec\.ts:2 imports npm:zod/);
  });

  test("a workspace import missing from package.json fails", () => {
    const graph = graphWith({
      "apps/cli/src/main.ts": `import { createDatabase } from "@nasvae/db";\ncreateDatabase();`,
    });
    assert.deepEqual(
      undeclaredWorkspaceImports(graph).map((v) => v.message),
      [
        "apps/cli/src/main.ts:1 imports @nasvae/db, which apps/cli/package.json does not list in dependencies",
      ],
    );
  });

  test("an import of a file that is not there is reported unresolved", () => {
    const graph = graphWith({
      "apps/cli/src/main.ts": `import "./gone.ts";\nimport "@nasvae/db/nowhere";`,
    });
    assert.deepEqual(
      graph.unresolved.map((edge) => `${edge.from}:${edge.line} ${edge.specifier}`),
      ["apps/cli/src/main.ts:1 ./gone.ts", "apps/cli/src/main.ts:2 @nasvae/db/nowhere"],
    );
  });
});
