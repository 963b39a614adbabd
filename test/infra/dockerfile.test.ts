// No Docker engine runs here, so the image recipe is checked for what breaks it most often.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

const root = new URL("../../", import.meta.url);
const dockerfile = readFileSync(new URL("infra/Dockerfile", root), "utf8");

test("the build stage copies every workspace's package.json before npm ci", () => {
  // npm ci checks the lockfile against every workspace: one missing manifest fails the build.
  const beforeInstall = dockerfile.slice(0, dockerfile.indexOf("npm ci --ignore-scripts"));
  for (const group of ["apps", "packages"]) {
    for (const name of readdirSync(new URL(`${group}/`, root))) {
      const manifest = `${group}/${name}/package.json`;
      assert.ok(
        beforeInstall.includes(`COPY ${manifest} ${group}/${name}/`),
        `infra/Dockerfile does not copy ${manifest} before npm ci`,
      );
    }
  }
});

test("every app target runs its entry point with node directly (signals reach it)", () => {
  for (const entry of [
    "apps/api/src/server.ts",
    "apps/coordinator/src/main.ts",
    "apps/worker/src/main.ts",
    "packages/db/src/cli/migrate.ts",
  ]) {
    assert.ok(
      dockerfile.includes(`CMD ["node", "--import", "tsx", "${entry}"]`),
      `no exec-form CMD for ${entry}`,
    );
  }
});
