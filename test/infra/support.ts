// Shared by the infra tests: the compose file as `docker compose` would see it, .env.example, the
// Kubernetes manifests, and the environment variables each app reads. Offline: no Docker, no
// cluster, only files and the apps' own schemas.
import { readdirSync, readFileSync } from "node:fs";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import { apiEnvSchema } from "../../apps/api/src/config.ts";
import { coordinatorEnvSchema } from "../../apps/coordinator/src/config.ts";
import { workerEnvSchema } from "../../apps/worker/src/config.ts";

export const root = new URL("../../", import.meta.url);
export const readText = (path: string) => readFileSync(new URL(path, root), "utf8");

/** The migrator has no exported schema; compose.test.ts checks this against its source. */
export const migrateEnvKeys = ["DATABASE_URL"] as const;

/** The variables each app process reads through its env schema (apps/{app}/src/config.ts). */
export const appEnvKeys = {
  api: Object.keys(apiEnvSchema.properties),
  coordinator: Object.keys(coordinatorEnvSchema.properties),
  worker: Object.keys(workerEnvSchema.properties),
  migrate: [...migrateEnvKeys],
} satisfies Record<string, string[]>;

export type App = keyof typeof appEnvKeys;

/**
 * Variables an app reads that a deployment deliberately does not set, so that the app's default
 * (packages/config/src/env.ts) applies. Anything else an app reads must be set for it in
 * docker-compose.yml and in infra/k8s: a new setting fails these tests until it is either
 * wired in or added here with its reason.
 */
export const leftToDefault: Record<string, string> = {
  WORKER_NAME: "each replica names itself <hostname>-<pid> (container id or pod name)",
  DATABASE_RETRY_TIMEOUT_MS: "tuning: the default (5 min of retries) suits every deployment",
  RECONCILE_INTERVAL_MS: "tuning: the default sweep every 30 s",
  LOCK_DURATION_MS: "tuning: per-app defaults (30 s worker, renewed; 2 min coordinator)",
  STALLED_INTERVAL_MS: "tuning: the default stalled-job check every 30 s",
  MAX_STALLED_COUNT: "tuning: 3 recoveries of a job after crashes or redeploys before it fails",
  EVALUATION_DELAY_MS: "tests and benchmarks only: a stand-in for training time",
};

/**
 * Variables read outside the env schemas (process.env directly), by where they are read. The
 * test that scans the source for process.env keeps this complete.
 */
export const readOutsideSchemas: Record<string, string> = {
  NASVAE_TF_BACKEND:
    "packages/tf-backend/src/backend.ts: forces a TensorFlow.js backend; unset, the fastest one that loads is used (tfjs-node-gpu first), which is what the images want",
  TEST_DATABASE_URL: "packages/db/src/testing.ts: tests only",
  TEST_REDIS_URL: "packages/jobs/src/testing.ts: tests only",
};

/** Reads KEY=VALUE lines (compose's .env format, as .env.example writes it). */
export function parseDotEnv(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(trimmed);
    if (!match) throw new Error(`.env line not KEY=VALUE: ${line}`);
    vars.set(match[1] as string, (match[2] as string).replace(/^(["'])(.*)\1$/, "$2"));
  }
  return vars;
}

/**
 * Compose's interpolation of one string: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default},
 * ${VAR:?error}, ${VAR?error}, ${VAR:+alternative}, ${VAR+alternative}. Records every name used.
 */
export function interpolate(value: string, env: Map<string, string>, used: Set<string>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced?: string, operator?: string, argument?: string, bare?: string) => {
      if (whole === "$$") return "$";
      const name = (braced ?? bare) as string;
      used.add(name);
      const current = env.get(name);
      const set = current !== undefined;
      const nonEmpty = set && current !== "";
      switch (operator) {
        case ":-":
          return nonEmpty ? current : (argument ?? "");
        case "-":
          return set ? current : (argument ?? "");
        case ":?":
        case "?":
          if (operator === ":?" ? nonEmpty : set) return current as string;
          throw new Error(`\${${name}} is required: ${argument}`);
        case ":+":
          return nonEmpty ? (argument ?? "") : "";
        case "+":
          return set ? (argument ?? "") : "";
        default:
          return current ?? "";
      }
    },
  );
}

function interpolateTree(node: unknown, env: Map<string, string>, used: Set<string>): unknown {
  if (typeof node === "string") return interpolate(node, env, used);
  if (Array.isArray(node)) return node.map((item) => interpolateTree(item, env, used));
  if (node && typeof node === "object") {
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, interpolateTree(value, env, used)]),
    );
  }
  return node;
}

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string };
  environment?: Record<string, string | number | boolean | null>;
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string; [key: string]: unknown };
  restart?: string;
  ports?: string[];
  expose?: string[];
  command?: string[];
  volumes?: string[];
  container_name?: string;
  stop_grace_period?: string;
  init?: boolean;
  deploy?: {
    replicas?: number;
    resources?: {
      reservations?: {
        devices?: { driver?: string; count?: number | string; capabilities?: string[] }[];
      };
    };
  };
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [extension: string]: unknown;
}

/**
 * docker-compose.yml parsed (YAML merge keys `<<` resolved, as compose does) and interpolated
 * with `env` (default: .env.example's values). `used` lists the variables it referenced.
 */
export function loadCompose(env = parseDotEnv(readText(".env.example"))) {
  const raw = parseYaml(readText("docker-compose.yml"), { merge: true }) as unknown;
  const used = new Set<string>();
  const compose = interpolateTree(raw, env, used) as ComposeFile;
  // Interpolation makes strings; compose then casts the fields that are numbers, as here (an
  // integer string only: anything else stays a string, which the schema rejects).
  for (const service of Object.values(compose.services)) {
    const replicas = service.deploy?.replicas as unknown;
    if (typeof replicas === "string" && /^\d+$/.test(replicas) && service.deploy) {
      service.deploy.replicas = Number(replicas);
    }
  }
  return { compose, used, env };
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are checked field by field
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  [field: string]: unknown;
}

export const k8sDir = "infra/k8s/";

/** Every YAML file of infra/k8s with the objects it holds (multi-document files split). */
export function loadK8sFiles(): { file: string; objects: K8sObject[] }[] {
  return readdirSync(new URL(k8sDir, root))
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => {
      const docs = parseAllDocuments(readText(k8sDir + file));
      const objects = docs.map((doc) => {
        if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
        return doc.toJS() as K8sObject;
      });
      return { file, objects: objects.filter((object) => object !== null) };
    });
}

export interface DockerInstruction {
  keyword: string;
  args: string;
  line: number;
}

export interface DockerStage {
  /** The AS name (every stage here has one). */
  name: string;
  /** The FROM image or stage, as written (${ARG}s not expanded). */
  from: string;
  instructions: DockerInstruction[];
}

/**
 * A Dockerfile's instructions, grouped by stage: continuation lines joined, comments dropped
 * (dockerfile-utils lints the syntax; this is for checks of the content).
 */
export function parseDockerfile(text: string): {
  globalArgs: DockerInstruction[];
  stages: DockerStage[];
} {
  const instructions: DockerInstruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split("\n").forEach((raw, index) => {
    const line = raw.trimEnd();
    if (/^\s*#/.test(line)) return;
    if (pending === undefined && line.trim() === "") return;
    const continued = line.endsWith("\\");
    const piece = continued ? line.slice(0, -1) : line;
    pending = pending
      ? { ...pending, text: `${pending.text} ${piece.trim()}` }
      : { text: piece.trim(), line: index + 1 };
    if (!continued) {
      const [keyword = "", ...rest] = pending.text.split(/\s+/);
      instructions.push({
        keyword: keyword.toUpperCase(),
        args: rest.join(" "),
        line: pending.line,
      });
      pending = undefined;
    }
  });
  const globalArgs: DockerInstruction[] = [];
  const stages: DockerStage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") {
      const match = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!match) throw new Error(`unreadable FROM on line ${instruction.line}`);
      stages.push({ name: match[2] ?? "", from: match[1] as string, instructions: [] });
    } else if (stages.length === 0) {
      globalArgs.push(instruction);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}
