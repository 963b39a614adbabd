// Runs the whole stack as separate local processes: the API, the coordinator and N workers.
// Used by `npm start`, the demo and the end-to-end tests.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createInterface } from "node:readline";

const root = new URL("../..", import.meta.url).pathname;

export const entryPoints = {
  api: "apps/api/src/server.ts",
  coordinator: "apps/coordinator/src/main.ts",
  worker: "apps/worker/src/main.ts",
} as const;

/** The settings every app of a local stack gets, from the launching script's configuration. */
export function appEnv(config: {
  DATABASE_URL: string;
  REDIS_URL: string;
  QUEUE_PREFIX: string;
  PORT: number;
  API_KEYS: string;
}): Record<string, string> {
  return {
    DATABASE_URL: config.DATABASE_URL,
    REDIS_URL: config.REDIS_URL,
    QUEUE_PREFIX: config.QUEUE_PREFIX,
    PORT: String(config.PORT),
    API_KEYS: config.API_KEYS,
  };
}

/**
 * The API key of a local stack: the first of API_KEYS when it is set; otherwise a fresh random
 * one for this run only, so that access control stays on without any setup.
 */
export function localApiKeys(setting: string): {
  API_KEYS: string;
  key: string;
  generated: boolean;
} {
  const first = setting
    .split(",")
    .map((key) => key.trim())
    .find((key) => key.length > 0);
  // An `admin:` entry (may use the dashboard's actions) is sent without its mark.
  if (first) return { API_KEYS: setting, key: first.replace(/^admin:/, ""), generated: false };
  // The run's own key: its operator is its admin.
  const key = `nasvae_local_${randomBytes(24).toString("base64url")}`;
  return { API_KEYS: `admin:${key}`, key, generated: true };
}

export interface StackOptions {
  /** Environment of every process (DATABASE_URL, REDIS_URL, QUEUE_PREFIX, PORT...). */
  env: Record<string, string | undefined>;
  /** Worker processes. Default: 2. */
  workers?: number;
  /** Receives every output line, prefixed with the process name. Default: discard. */
  onLine?: (name: string, line: string) => void;
  /**
   * Where each process writes a V8 CPU profile when it exits (`node --cpu-prof`), in a folder
   * named after it; open them in Chrome DevTools. Default: none (benchmarks use it).
   */
  cpuProfileDir?: string;
}

export interface StackProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

export class LocalStack {
  readonly processes: StackProcess[] = [];

  constructor(private readonly options: StackOptions) {}

  start(): void {
    // Processes on one host share its ports: with METRICS_PORT=P set, the coordinator's metrics
    // server takes P and worker N's takes P + N (0, any free port, stays 0 for all).
    const metricsPort = Number(this.options.env.METRICS_PORT ?? process.env.METRICS_PORT ?? "");
    const workerMetrics = (i: number): Record<string, string> =>
      metricsPort > 0 ? { METRICS_PORT: String(metricsPort + i) } : {};
    this.spawn("api", entryPoints.api);
    this.spawn("coordinator", entryPoints.coordinator);
    for (let i = 1; i <= (this.options.workers ?? 2); i++) {
      this.spawn(`worker-${i}`, entryPoints.worker, {
        WORKER_NAME: `worker-${i}`,
        ...workerMetrics(i),
      });
    }
  }

  spawn(name: string, entry: string, extraEnv: Record<string, string> = {}): StackProcess {
    const { cpuProfileDir } = this.options;
    // One folder per process: its main thread and the tsx loader thread each write a profile.
    const profile = cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfileDir}/${name}`] : [];
    const child = spawn(process.execPath, [...profile, "--import", "tsx", entry], {
      cwd: root,
      env: { ...process.env, ...this.options.env, ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: a Ctrl-C in the terminal reaches only this script, which then
      // stops the apps with one SIGTERM each (a second signal would make them exit at once).
      detached: true,
    });
    // Never leave an app running behind this script.
    process.once("exit", () => {
      if (child.exitCode === null) child.kill("SIGKILL");
    });
    const onLine = this.options.onLine ?? (() => {});
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on("line", (line) => onLine(name, line));
    }
    const exited = once(child, "exit").then(([code]) => code as number | null);
    const entryProcess = { name, child, exited };
    this.processes.push(entryProcess);
    return entryProcess;
  }

  /** SIGTERM to all, then SIGKILL to those still running after `timeoutMs`. */
  async stop(timeoutMs = 15_000): Promise<void> {
    const running = this.processes.filter((p) => p.child.exitCode === null && !p.child.killed);
    for (const p of running) p.child.kill("SIGTERM");
    const timer = setTimeout(() => {
      for (const p of running) if (p.child.exitCode === null) p.child.kill("SIGKILL");
    }, timeoutMs);
    await Promise.all(running.map((p) => p.exited));
    clearTimeout(timer);
  }
}

/** Polls `url` until it answers 200, or throws after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${last})`);
}
