import { tmpdir } from "node:os";
import { join } from "node:path";
import Type, { type Static, type TObject, type TProperties } from "typebox";
import Value from "typebox/value";

/** Thrown when the environment does not satisfy an app's schema; the message lists every problem. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Environment variables shared by the apps, with their defaults. Each app composes the ones it
 * reads into its own schema, so `docker compose` and the docs can list exactly what it needs.
 */
export const envFields = {
  /** Postgres, the source of truth. `?schema=NAME` selects a schema (tests use their own). */
  DATABASE_URL: Type.String({
    default: "postgresql://postgres@127.0.0.1:5432/nasvae",
    pattern: "^postgres(ql)?://",
    description: "PostgreSQL connection URL",
  }),
  /** Redis, which carries work in flight (BullMQ). */
  REDIS_URL: Type.String({
    default: "redis://127.0.0.1:6379",
    pattern: "^rediss?://",
    description: "Redis connection URL",
  }),
  /** Namespace of every BullMQ key, so several deployments (or tests) can share one Redis. */
  QUEUE_PREFIX: Type.String({ default: "nasvae", pattern: "^[A-Za-z0-9_.-]+$" }),
  LOG_LEVEL: Type.Union(
    ["fatal", "error", "warn", "info", "debug", "trace", "silent"].map((level) =>
      Type.Literal(level),
    ),
    { default: "info" },
  ),
  /** How long a SIGTERM waits for running jobs or requests before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 0, default: 30_000 }),
  /** API: listening port and address. */
  PORT: Type.Integer({ minimum: 0, maximum: 65_535, default: 3000 }),
  HOST: Type.String({ default: "127.0.0.1" }),
  /** API: the largest evaluation budget one campaign may ask for. */
  MAX_BUDGET: Type.Integer({ minimum: 1, default: 10_000 }),
  /**
   * API: keys accepted as `Authorization: Bearer KEY`, comma-separated. Seeded (hashed) into the
   * api_keys table at start, beside keys made with `nasvae keys create`. Every write and the
   * dashboard need a key; with none configured, writes answer 401 saying how to make one.
   */
  API_KEYS: Type.String({ default: "" }),
  /** API: `public` (default) lets anyone read; `key` needs a key for reads as well. */
  READ_ACCESS: Type.Union([Type.Literal("public"), Type.Literal("key")], { default: "public" }),
  /** API: bull-board at /admin/queues shows jobs without retry/clean/remove buttons. */
  DASHBOARD_READ_ONLY: Type.Boolean({ default: false }),
  /** API: campaigns one key may have queued, running or paused at once. */
  MAX_ACTIVE_CAMPAIGNS_PER_KEY: Type.Integer({ minimum: 1, default: 20 }),
  /** API: evaluations one key's active campaigns may have yet to record, all together. */
  MAX_PENDING_EVALUATIONS_PER_KEY: Type.Integer({ minimum: 1, default: 50_000 }),
  /** API: requests per minute per key (or per address without one). */
  RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 1200 }),
  /**
   * API: the most memory (MiB) a worker may need to train one network of a `train` campaign,
   * estimated from the spec (activations x batch, parameters, gradients, optimizer slots; see
   * docs/training.md); campaigns above it are refused with a 400. Default 2048: half the
   * WebAssembly backend's 4 GiB heap. GPU deployments size it to their GPUs' memory.
   */
  TRAIN_MEMORY_LIMIT_MB: Type.Integer({ minimum: 1, default: 2048 }),
  /** API: origins allowed by CORS, comma-separated; empty (default) allows none. */
  CORS_ORIGINS: Type.String({ default: "" }),
  /**
   * API, worker: the directory of the mounted datasets (CIFAR-10/100 in their binary versions,
   * see docs/datasets.md), relative to the working directory or absolute. The containers mount
   * it read-only at /data/datasets. The generated dataset needs no files.
   */
  DATASETS_DIR: Type.String({ minLength: 1, default: "./datasets" }),
  /**
   * Worker: where training evaluations keep their checkpoints (one file per trial and evaluator
   * fingerprint, deleted when the evaluation ends). Default: a folder under the OS temp dir,
   * enough for one host; several hosts mount one shared volume here (compose, infra/k8s), so a
   * job re-delivered to another worker resumes too. See docs/reliability.md.
   */
  CHECKPOINT_DIR: Type.String({ minLength: 1, default: join(tmpdir(), "nasvae-checkpoints") }),
  /** Worker: a training evaluation saves its state every this many epochs; 0: never. */
  CHECKPOINT_EVERY_EPOCHS: Type.Integer({ minimum: 0, maximum: 1000, default: 1 }),
  /** Worker: evaluate jobs run at once by one worker process. */
  WORKER_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 256, default: 1 }),
  /**
   * Worker: threads the WebAssembly backend trains a network on (CPU workers; at most 8, tfjs'
   * cap). 1 (default): one per worker process, the most networks per hour with one worker per
   * core; more: each network trains sooner (docs/training.md). Read by @nasvae/tf-backend.
   */
  NASVAE_WASM_THREADS: Type.Integer({ minimum: 1, maximum: 8, default: 1 }),
  /** Worker: name recorded with every evaluation it computes (default: host name and pid). */
  WORKER_NAME: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  /** Stack (`npm start`, demo): worker processes to start. */
  WORKERS: Type.Integer({ minimum: 0, maximum: 64, default: 2 }),
  /**
   * Worker, coordinator: port of their own /metrics and /livez server (the API serves both on
   * PORT). Unset (default): no server. Containers use 9464, each in its own network namespace,
   * so scaled workers do not clash; `npm start` gives the coordinator this port and worker N
   * this port + N. 0 picks a free port (logged).
   */
  METRICS_PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65_535 })),
  /** Worker, coordinator: address of the metrics server; 0.0.0.0 in containers. */
  METRICS_HOST: Type.String({ default: "127.0.0.1" }),
  /**
   * Worker, coordinator: how long a job keeps retrying its database work while Postgres is
   * unreachable (backoff from 250 ms to 5 s) before it is postponed: moved back to the queue for
   * as long (1 to 30 s) without spending one of its attempts, a computed result kept with it. So
   * a Postgres outage of any length fails no job. See docs/reliability.md.
   */
  DATABASE_RETRY_TIMEOUT_MS: Type.Integer({ minimum: 0, default: 300_000 }),
  /**
   * Coordinator: how often the reconciler compares the work in flight in Redis with Postgres and
   * re-enqueues what Redis lost (it also runs at start and whenever the Redis connection comes
   * back). 0: only then.
   */
  RECONCILE_INTERVAL_MS: Type.Integer({ minimum: 0, default: 30_000 }),
  /**
   * Worker, coordinator: BullMQ's job lock. A job whose process died is run again once its lock
   * has expired and a stalled check has seen it. Unset (default): 30 s for workers (renewed
   * while an evaluation runs), 2 min for the coordinator (model training has long synchronous
   * stretches).
   */
  LOCK_DURATION_MS: Type.Optional(Type.Integer({ minimum: 1000 })),
  /** Worker, coordinator: how often they look for jobs whose lock has expired (stalled jobs). */
  STALLED_INTERVAL_MS: Type.Integer({ minimum: 100, default: 30_000 }),
  /**
   * Worker, coordinator: how many times one job may be given back after its process died (or
   * was stopped past SHUTDOWN_TIMEOUT_MS) before it fails for good (BullMQ's default is 1: a
   * second crash or redeploy would fail the job). Crashes do not spend its attempts.
   */
  MAX_STALLED_COUNT: Type.Integer({ minimum: 0, default: 3 }),
  /**
   * Worker, for tests and benchmarks only: holds every evaluation it computes this much longer,
   * as a stand-in for training time (the table answers in microseconds). Default 0.
   */
  EVALUATION_DELAY_MS: Type.Integer({ minimum: 0, default: 0 }),
} satisfies TProperties;

/**
 * Parses `env` against `schema` once, at start: strings are converted to the declared types,
 * defaults filled in, unknown variables ignored. A bad value throws a ConfigError naming it.
 */
export function parseEnv<Schema extends TObject>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): Static<Schema> {
  const known: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const raw = env[key];
    if (raw !== undefined && raw !== "") known[key] = raw;
  }
  const value = Value.Default(schema, Value.Convert(schema, known));
  if (Value.Check(schema, value)) return value as Static<Schema>;
  const problems = [...Value.Errors(schema, value)].map((error) => {
    const key = error.instancePath.replace(/^\//, "") || "(root)";
    return `  ${key}=${JSON.stringify(known[key] ?? "")}: ${error.message}`;
  });
  throw new ConfigError(`invalid configuration in the environment:\n${problems.join("\n")}`);
}

/** Builds an app's schema from a subset of the shared fields. */
export function envSchema<Keys extends keyof typeof envFields>(...keys: Keys[]) {
  const properties = Object.fromEntries(keys.map((key) => [key, envFields[key]])) as Pick<
    typeof envFields,
    Keys
  >;
  return Type.Object(properties);
}
