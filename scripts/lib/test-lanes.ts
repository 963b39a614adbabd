// Which lane each test file runs in (scripts/test.ts, `npm run test:unit` and the others):
//  - unit: needs no PostgreSQL, Redis or browser. Run with both pointed at a closed port, so a
//    file that reaches for one fails there instead of passing on a machine that has them.
//  - integration: the database, the queues and the apps against the local PostgreSQL and Redis.
//  - system: the whole stack, fault injection, the pages in Chromium, the deployment files.
// By directory, so a new file is classified where it is put; test/lanes/lanes.test.ts checks
// that no unit file imports what talks to a service.

import { readdirSync } from "node:fs";
import { join, relative } from "node:path";

export const LANES = ["unit", "integration", "system"] as const;
export type Lane = (typeof LANES)[number];

const SYSTEM = ["test/e2e/", "test/faults/", "test/ui/", "test/infra/"];

const INTEGRATION = [
  "packages/db/test/",
  "packages/jobs/test/",
  "apps/api/test/",
  "apps/cli/test/",
  "apps/coordinator/test/",
  "apps/worker/test/",
  "test/docs/sql/",
];

/** Files in an integration directory that need no service. */
export const UNIT_IN_INTEGRATION = new Set([
  "apps/cli/test/campaign-spec.test.ts",
  "apps/cli/test/format.test.ts",
  "apps/worker/test/checkpoint-store.test.ts",
  "apps/worker/test/request-batcher.test.ts",
]);

/** The lane of a test file, by its path relative to the repository root. */
export function laneOf(file: string): Lane {
  const path = file.replaceAll("\\", "/");
  if (SYSTEM.some((dir) => path.startsWith(dir))) return "system";
  if (UNIT_IN_INTEGRATION.has(path)) return "unit";
  if (INTEGRATION.some((dir) => path.startsWith(dir))) return "integration";
  return "unit";
}

/** Where the unit lane points the services: nothing listens on port 1. */
export const UNREACHABLE_SERVICES = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:1/unreachable",
  TEST_DATABASE_URL: "postgresql://postgres@127.0.0.1:1/unreachable",
  REDIS_URL: "redis://127.0.0.1:1",
  TEST_REDIS_URL: "redis://127.0.0.1:1",
};

/** Every `*.test.ts` under packages/, apps/ and test/, relative to `root`, sorted. */
export function findTestFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".test.ts")) found.push(relative(root, path));
    }
  };
  for (const dir of ["packages", "apps", "test"]) walk(join(root, dir));
  return found.sort();
}
