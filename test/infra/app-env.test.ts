// Every environment variable an app reads (its env schema, apps/*/src/config.ts) is either set for
// it by docker-compose.yml and by infra/k8s, or deliberately left to its default (leftToDefault in
// support.ts, with the reason); and everything they set is something that app reads, so a typo
// or a setting given to the wrong app fails here rather than being silently ignored.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { envFields } from "@nasvae/config";
import {
  type App,
  appEnvKeys,
  type K8sObject,
  leftToDefault,
  loadCompose,
  loadK8sFiles,
  readOutsideSchemas,
  root,
} from "./support.ts";

/** Which app each compose service runs (services from public images are not ours). */
const composeApps: Record<string, App> = {
  migrate: "migrate",
  api: "api",
  coordinator: "coordinator",
  worker: "worker",
  "worker-cpu": "worker",
};

/** Which app each Kubernetes workload runs. */
const k8sApps: Record<string, App> = {
  "nasvae-migrate": "migrate",
  "nasvae-api": "api",
  "nasvae-coordinator": "coordinator",
  "nasvae-worker": "worker",
};

function checkCoverage(where: string, app: App, set: string[]) {
  const reads = new Set(appEnvKeys[app]);
  for (const name of set) {
    assert.ok(reads.has(name), `${where} sets ${name}, which the ${app} does not read`);
  }
  for (const name of reads) {
    assert.ok(
      set.includes(name) || name in leftToDefault,
      `the ${app} reads ${name}, which ${where} neither sets nor lists in leftToDefault`,
    );
  }
  // What is left to default is really left alone.
  for (const name of set) {
    assert.ok(!(name in leftToDefault), `${where} sets ${name}, listed as left to default`);
  }
}

test("compose: each app service sets exactly the variables its app reads", () => {
  const { compose } = loadCompose();
  const ours = Object.entries(compose.services).filter(([, s]) => s.build);
  assert.deepEqual(ours.map(([name]) => name).sort(), Object.keys(composeApps).sort());
  for (const [name, service] of ours) {
    checkCoverage(
      `docker-compose.yml (${name})`,
      composeApps[name] as App,
      Object.keys(service.environment ?? {}),
    );
  }
});

function configMaps(objects: K8sObject[]): Map<string, string[]> {
  return new Map(
    objects
      .filter((o) => o.kind === "ConfigMap")
      .map((o) => [o.metadata.name, Object.keys(o.data ?? {})]),
  );
}

/** The variables a container gets: env entries, and the keys of the ConfigMaps in envFrom. */
function containerEnv(
  container: {
    env?: { name: string }[];
    envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  },
  maps: Map<string, string[]>,
): string[] {
  const names = (container.env ?? []).map((e) => e.name);
  for (const source of container.envFrom ?? []) {
    assert.equal(source.secretRef, undefined, "envFrom a Secret: its extra keys would leak in");
    const keys = maps.get(source.configMapRef?.name ?? "");
    assert.ok(keys, `envFrom an unknown ConfigMap ${source.configMapRef?.name}`);
    names.push(...keys);
  }
  const duplicates = names.filter((name, index) => names.indexOf(name) !== index);
  assert.deepEqual(duplicates, [], "a variable set twice");
  return names;
}

test("kubernetes: each workload's container gets exactly the variables its app reads", () => {
  const objects = loadK8sFiles().flatMap((f) => f.objects);
  const maps = configMaps(objects);
  const workloads = objects.filter((o) => o.kind === "Deployment" || o.kind === "Job");
  assert.deepEqual(workloads.map((w) => w.metadata.name).sort(), Object.keys(k8sApps).sort());
  for (const workload of workloads) {
    const containers = workload.spec.template.spec.containers;
    assert.equal(containers.length, 1);
    checkCoverage(
      `infra/k8s (${workload.metadata.name})`,
      k8sApps[workload.metadata.name] as App,
      containerEnv(containers[0], maps),
    );
  }
});

test("every ConfigMap key is read by each app that loads it", () => {
  const objects = loadK8sFiles().flatMap((f) => f.objects);
  const maps = configMaps(objects);
  const loaded = new Set<string>();
  for (const workload of objects.filter((o) => o.kind === "Deployment" || o.kind === "Job")) {
    for (const source of workload.spec.template.spec.containers[0].envFrom ?? []) {
      loaded.add(source.configMapRef.name);
    }
  }
  assert.deepEqual([...loaded].sort(), [...maps.keys()].sort(), "a ConfigMap nobody loads");
});

test("leftToDefault and readOutsideSchemas name real settings", () => {
  for (const name of Object.keys(leftToDefault)) {
    assert.ok(name in envFields, `leftToDefault lists ${name}, not in packages/config`);
  }
  for (const name of Object.keys(readOutsideSchemas)) {
    assert.ok(!(name in envFields), `${name} is a schema field now: drop it from the list`);
  }
});

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (["node_modules", "generated", "test"].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sourceFiles(path));
    else if (/\.(ts|js|mjs)$/.test(entry.name) && !entry.name.endsWith(".test.ts")) {
      found.push(path);
    }
  }
  return found;
}

test("no app code reads process.env outside the schemas but the variables listed", () => {
  const rootPath = fileURLToPath(root);
  const read = new Map<string, string>();
  for (const group of ["apps", "packages"]) {
    for (const pkg of readdirSync(join(rootPath, group))) {
      const src = join(rootPath, group, pkg, "src");
      let files: string[];
      try {
        files = sourceFiles(src);
      } catch {
        continue;
      }
      for (const file of files) {
        const text = readFileSync(file, "utf8");
        for (const match of text.matchAll(
          /process\.env(?:\.([A-Z_][A-Z0-9_]*)|\[["']([A-Z_][A-Z0-9_]*)["']\])/g,
        )) {
          read.set(match[1] ?? (match[2] as string), file.slice(rootPath.length));
        }
      }
    }
  }
  for (const [name, file] of read) {
    assert.ok(
      name in readOutsideSchemas,
      `${file} reads process.env.${name}: add it to the app's env schema, or to readOutsideSchemas`,
    );
  }
});
