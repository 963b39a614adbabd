// The layering rules of ARCHITECTURE.md, checked on the repository's static import graph
// (test/layering/import-graph.ts). Each failure names the file and line of the offending import
// and the chain of imports that leads to it. Reads files only: unit lane.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  appInternalsFromTools,
  contractsDependencies,
  declaredPackageGraph,
  fileCycles,
  ML_PACKAGES,
  mermaidEdges,
  mlReachedFrom,
  packageCycles,
  prismaDelegateCalls,
  prismaDelegates,
  prismaImports,
  rawPrismaQueries,
  report,
  repositoryGraph,
  undeclaredWorkspaceImports,
  unusedWorkspaceDependencies,
} from "./import-graph.ts";

const root = new URL("../../", import.meta.url).pathname;

/** The processes that must not load TensorFlow.js: their entry points. */
const API_ENTRIES = ["apps/api/src/server.ts", "apps/api/src/build.ts", "apps/api/src/app.ts"];
const CLI_ENTRIES = ["bin/nasvae.mjs", "apps/cli/src/main.ts", "apps/cli/src/index.ts"];

describe("layering (ARCHITECTURE.md)", () => {
  const graph = repositoryGraph(root);

  test("every relative and @nasvae/* import resolves to a file", () => {
    const lines = graph.unresolved.map((edge) => `${edge.from}:${edge.line} ${edge.specifier}`);
    assert.deepEqual(lines, [], `unresolved imports:\n${lines.join("\n")}`);
  });

  test("the entry points and the ML packages the rules name exist", () => {
    for (const entry of [...API_ENTRIES, ...CLI_ENTRIES]) {
      assert.ok(existsSync(join(root, entry)), `${entry} is gone: update the entry points here`);
    }
    for (const name of ML_PACKAGES) {
      assert.ok(
        graph.packages.some((pkg) => pkg.name === name),
        `${name} is gone: update ML_PACKAGES in test/layering/import-graph.ts`,
      );
    }
  });

  test("a. the API reaches no TensorFlow.js and no ML package, not even lazily", () => {
    const violations = mlReachedFrom(graph, API_ENTRIES);
    assert.equal(violations.length, 0, report(violations));
  });

  test("a. the CLI reaches no TensorFlow.js and no ML package, not even lazily", () => {
    const violations = mlReachedFrom(graph, CLI_ENTRIES);
    assert.equal(violations.length, 0, report(violations));
  });

  test("b. no file outside packages/db imports @prisma/* or the generated client", () => {
    const violations = prismaImports(graph);
    assert.equal(violations.length, 0, report(violations));
  });

  test("b. no code outside packages/db runs raw SQL through the Prisma client", () => {
    const violations = rawPrismaQueries(graph);
    assert.equal(violations.length, 0, report(violations));
  });

  test("b. apps and packages query Prisma's models only through packages/db", () => {
    const schema = readFileSync(join(root, "prisma/schema.prisma"), "utf8");
    const delegates = prismaDelegates(schema);
    assert.ok(delegates.includes("campaign") && delegates.includes("trial"), delegates.join());
    const violations = prismaDelegateCalls(graph, delegates);
    assert.equal(violations.length, 0, report(violations));
  });

  test("c. bench/ and scripts/ reach no app's source, only packages", () => {
    const violations = appInternalsFromTools(graph);
    assert.equal(violations.length, 0, report(violations));
  });

  test("d. the workspace packages import each other without a cycle", () => {
    const violations = packageCycles(graph);
    assert.equal(violations.length, 0, report(violations));
  });

  test("d. no file imports itself through a chain of value imports", () => {
    const violations = fileCycles(graph);
    assert.equal(violations.length, 0, report(violations));
  });

  test("e. packages/contracts imports no workspace package and no npm package but typebox", () => {
    assert.ok(graph.packages.some((pkg) => pkg.name === "@nasvae/contracts"));
    const violations = contractsDependencies(graph);
    assert.equal(violations.length, 0, report(violations));
  });

  test("each @nasvae/* package a package's src imports is in its package.json dependencies", () => {
    const violations = undeclaredWorkspaceImports(graph);
    assert.equal(violations.length, 0, report(violations));
  });

  test("each @nasvae/* dependency a package.json lists is imported", () => {
    const violations = unusedWorkspaceDependencies(graph);
    assert.equal(violations.length, 0, report(violations));
  });

  test("ARCHITECTURE.md draws the package graph that the package.json files declare", () => {
    const documented = mermaidEdges(readFileSync(join(root, "ARCHITECTURE.md"), "utf8"));
    const declared = declaredPackageGraph(graph.packages);
    const missing = declared.filter((edge) => !documented.includes(edge));
    const extra = documented.filter((edge) => !declared.includes(edge));
    assert.deepEqual(
      { missing, extra },
      { missing: [], extra: [] },
      'update the mermaid graph under "Package graph" in ARCHITECTURE.md (missing: declared in a package.json, not drawn; extra: drawn, not declared)',
    );
  });
});
