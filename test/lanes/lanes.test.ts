// The test lanes (scripts/lib/test-lanes.ts): every file is in one, and a unit file imports
// nothing that reaches PostgreSQL, Redis or a browser.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, test } from "node:test";
import { findTestFiles, LANES, laneOf, UNIT_IN_INTEGRATION } from "../../scripts/lib/test-lanes.ts";
import { importsOf as parsedImports } from "../layering/import-graph.ts";

const root = new URL("../../", import.meta.url).pathname;

/** Bare imports that mean a service or a browser: a file with one is not a unit test. */
const SERVICE_MODULES = [/^@prisma\//, /^pg$/, /^ioredis$/, /^bullmq$/, /^playwright-core$/];

/** Repository files that reach a service (a prefix: everything under it). */
const SERVICE_FILES = [
  "packages/db/",
  "packages/jobs/src/testing.ts",
  "test/support/test-stack.ts",
  "test/support/chromium.ts",
  /^apps\/[^/]+\/test\/support\.ts$/,
];

/** What a file imports: bare module names, and repository paths for workspace and relative ones. */
function importsOf(file: string): string[] {
  // Parsed, not matched by a pattern: import statements quoted in a string are not imports.
  const source = readFileSync(join(root, file), "utf8");
  return parsedImports(file, source).map(({ specifier }) => {
    if (specifier.startsWith("."))
      return relative(root, resolve(dirname(join(root, file)), specifier));
    const workspace = /^@nasvae\/([^/]+)(\/.*)?$/.exec(specifier);
    if (workspace)
      return `packages/${workspace[1]}/${workspace[2] ? `src${workspace[2]}.ts` : "src"}`;
    return specifier;
  });
}

function reachesService(target: string): boolean {
  return (
    SERVICE_MODULES.some((pattern) => pattern.test(target)) ||
    SERVICE_FILES.some((rule) =>
      typeof rule === "string" ? target.startsWith(rule) : rule.test(target),
    )
  );
}

describe("test lanes", () => {
  const files = findTestFiles(root);

  test("each lane has files, and examples land where they belong", () => {
    for (const lane of LANES)
      assert.ok(
        files.some((file) => laneOf(file) === lane),
        lane,
      );
    assert.equal(laneOf("packages/search-space/test/arch-string.test.ts"), "unit");
    assert.equal(laneOf("apps/cli/test/format.test.ts"), "unit");
    assert.equal(laneOf("packages/db/test/rounds.test.ts"), "integration");
    assert.equal(laneOf("apps/api/test/campaigns.test.ts"), "integration");
    assert.equal(laneOf("test/ui/pages.test.ts"), "system");
    assert.equal(laneOf("test/faults/redis-loss.test.ts"), "system");
    assert.ok(importsOf("packages/jobs/test/catalogue.test.ts").some(reachesService));
    assert.ok(importsOf("apps/api/test/openapi.test.ts").some(reachesService));
    assert.ok(importsOf("packages/db/test/rounds.test.ts").some(reachesService));
  });

  test("no unit file imports what talks to PostgreSQL, Redis or a browser", () => {
    const offenders = files
      .filter((file) => laneOf(file) === "unit" && file !== "test/lanes/chromium.test.ts")
      .flatMap((file) =>
        importsOf(file)
          .filter(reachesService)
          .map((target) => `${file} imports ${target}`),
      );
    assert.deepEqual(
      offenders,
      [],
      "move these files to an integration or system directory (scripts/lib/test-lanes.ts)",
    );
  });

  test("the unit files listed in integration directories exist and need no service", () => {
    for (const file of UNIT_IN_INTEGRATION) {
      assert.ok(existsSync(join(root, file)), `${file} exists`);
      assert.equal(laneOf(file), "unit");
    }
  });
});
