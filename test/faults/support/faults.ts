// Fault injection for the reliability tests: a Redis server of the test's own that it can kill,
// a TCP proxy in front of Postgres that it can cut, and the checks that nothing was lost.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import { createInterface } from "node:readline";
import { createRound, type Database } from "@nasvae/db";
import { testDatabaseUrl } from "@nasvae/db/testing";
import { evaluatorFingerprint } from "@nasvae/evaluators";
import type { evaluateJob } from "@nasvae/jobs";
import { createRandom, nasBench201SearchSpace as space } from "@nasvae/search-space";
import type { Static } from "typebox";
import type { TestStack } from "../../support/test-stack.ts";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `check` every `everyMs` until it returns a value other than undefined/false. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs: number,
  context: () => string = () => "",
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}\n${context()}`);
    await sleep(everyMs);
  }
}

/**
 * A redis-server of the test's own, without persistence: killed with SIGKILL and started again
 * on the same port, it comes back empty, as a Redis that lost everything.
 */
export class RedisServer {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it (again), empty; resolves once it accepts connections. */
  async restart(): Promise<void> {
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child = child;
    process.once("exit", () => child.kill("SIGKILL"));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const log: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not start:\n${log.join("\n")}`)),
        10_000,
      );
      lines.on("line", (line) => {
        log.push(line);
        if (/Ready to accept connections/.test(line)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}):\n${log.join("\n")}`));
      });
    });
  }

  /** SIGKILL: no goodbye, nothing saved. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.removeAllListeners("exit");
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
  }
}

/**
 * A TCP proxy from a local port to the tests' Postgres. `cut()` drops every connection through it
 * and resets new ones (what the apps see when Postgres restarts or the network fails) until
 * `restore()`; the shared Postgres server itself is never touched.
 */
export class PostgresProxy {
  private readonly sockets = new Set<net.Socket>();
  private down = false;

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(): Promise<PostgresProxy> {
    const target = new URL(testDatabaseUrl);
    const targetPort = Number(target.port || "5432");
    let proxy: PostgresProxy | undefined;
    const server = net.createServer((client) => {
      client.on("error", () => {});
      if (!proxy || proxy.down) {
        client.resetAndDestroy();
        return;
      }
      const upstream = net.connect(targetPort, target.hostname);
      upstream.on("error", () => client.destroy());
      for (const socket of [client, upstream]) {
        proxy.sockets.add(socket);
        socket.on("close", () => proxy?.sockets.delete(socket));
      }
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    proxy = new PostgresProxy(server, (server.address() as net.AddressInfo).port);
    return proxy;
  }

  /** Postgres "goes away": open connections are reset, new ones refused. */
  cut(): void {
    this.down = true;
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
  }

  restore(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

export interface CampaignSpec {
  strategy: { kind: "random" | "evolution" };
  budget: number;
  perRound: number;
  seed: number;
}

/** POSTs a campaign on the tabular evaluator (NAS-Bench-201, CIFAR-10); returns its id. */
export async function postCampaign(env: TestStack, spec: CampaignSpec): Promise<string> {
  const response = await fetch(`${env.base}/campaigns`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${env.apiKey}` },
    body: JSON.stringify({
      name: `faults ${spec.strategy.kind} ${spec.seed}`,
      searchSpace: "nas-bench-201",
      evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
      strategy: spec.strategy,
      budget: { evaluations: spec.budget, perRound: spec.perRound },
      seed: spec.seed,
    }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return ((await response.json()) as { id: string }).id;
}

/** Completed trials of these campaigns, read from Postgres (works whatever Redis does). */
export function completedTrials(db: Database, campaignIds: string[]): Promise<number> {
  return db.trial.count({ where: { campaignId: { in: campaignIds }, status: "completed" } });
}

/** Waits, reading Postgres, until none of these campaigns is queued or running. */
export async function waitForCampaigns(
  env: TestStack,
  campaignIds: string[],
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    "every campaign to end",
    async () =>
      (await env.database.db.campaign.count({
        where: { id: { in: campaignIds }, status: { in: ["queued", "running"] } },
      })) === 0,
    timeoutMs,
    () => env.output.slice(-40).join("\n"),
    250,
  );
}

/**
 * Nothing lost, nothing twice: the campaign completed with exactly its budget of completed
 * trials, none pending or failed, one trial per architecture, each completed trial pointing to
 * an evaluation of its own architecture; and across the schema one evaluation row per
 * architecture that any trial asked for (no result recorded twice, none orphaned).
 */
export async function assertNothingLost(
  env: TestStack,
  campaigns: { id: string; budget: number }[],
): Promise<void> {
  const { db } = env.database;
  for (const { id, budget } of campaigns) {
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id } });
    assert.equal(campaign.status, "completed", `campaign ${id}: ${campaign.error ?? ""}`);
    const trials = await db.trial.findMany({
      where: { campaignId: id },
      include: { evaluation: true },
    });
    const byStatus = (status: string) => trials.filter((t) => t.status === status).length;
    assert.equal(byStatus("completed"), budget, `campaign ${id}: completed trials = budget`);
    assert.equal(byStatus("pending"), 0, `campaign ${id}: no trial left pending`);
    assert.equal(byStatus("failed"), 0, `campaign ${id}: no trial failed`);
    assert.equal(
      new Set(trials.map((t) => t.architectureId)).size,
      trials.length,
      `campaign ${id}: one trial per architecture (no duplicate proposal)`,
    );
    for (const trial of trials) {
      assert.equal(trial.evaluation?.architectureId, trial.architectureId, `trial ${trial.id}`);
    }
    const rounds = await db.round.findMany({
      where: { campaignId: id },
      orderBy: { index: "asc" },
    });
    assert.deepEqual(
      rounds.map((round) => round.index),
      rounds.map((_, i) => i),
      `campaign ${id}: rounds 0..n-1, each once`,
    );
    assert.ok(
      rounds.every((round) => round.status === "completed"),
      `campaign ${id}: every round closed`,
    );
    assert.equal(
      rounds.reduce((sum, round) => sum + round.proposed, 0),
      budget,
      `campaign ${id}: proposals add up to the budget (no round proposed twice)`,
    );
  }
  const evaluations = await db.evaluation.findMany({ select: { architectureId: true } });
  const asked = await db.trial.findMany({
    distinct: ["architectureId"],
    select: { architectureId: true },
  });
  assert.equal(
    evaluations.length,
    new Set(evaluations.map((e) => e.architectureId)).size,
    "one evaluation row per architecture",
  );
  assert.equal(evaluations.length, asked.length, "every architecture asked for has one row");
}

/** The JSON log lines of the stack whose `msg` is `msg` (with the process name). */
export function logLines(
  env: TestStack,
  msg: string,
): { process: string; line: Record<string, unknown> }[] {
  const found: { process: string; line: Record<string, unknown> }[] = [];
  for (const entry of env.output) {
    const colon = entry.indexOf(": ");
    if (colon < 0) continue;
    try {
      const line = JSON.parse(entry.slice(colon + 2)) as Record<string, unknown>;
      if (line.msg === msg) found.push({ process: entry.slice(0, colon), line });
    } catch {
      // not JSON
    }
  }
  return found;
}

/**
 * For an `after` hook: prints the stack's last lines when the test failed; with FAULTS_LOG=1,
 * the lines about the faults (reconciler, retries, postponements, errors) in any case.
 */
export function reportOutput(env: TestStack | undefined, failed: boolean): void {
  if (!env) return;
  if (failed) console.log(env.output.slice(-60).join("\n"));
  else if (process.env.FAULTS_LOG) {
    const about = /reconcil|postpone|unreachable|reachable again|stalled|shut|signal|"level":[56]0/;
    console.log(env.output.filter((line) => about.test(line)).join("\n"));
  }
}

export const tabularEvaluator = { kind: "nas-bench-201", dataset: "cifar10" } as const;

/** `count` architectures of distinct isomorphism classes, drawn with `seed`. */
export function distinctArchitectures(count: number, seed: number): string[] {
  const rng = createRandom(seed);
  const found = new Map<string, string>();
  while (found.size < count) {
    const cell = space.sample(rng);
    found.set(space.canonicalHash(cell), space.format(cell));
  }
  return [...found.values()];
}

export type EvaluatePayload = Static<typeof evaluateJob.payload>;

/**
 * A campaign with one round proposing `archStrings` (straight into Postgres, no coordinator);
 * returns the evaluate payloads of its trials, as the planner would enqueue them.
 */
export async function proposeTrials(
  db: Database,
  archStrings: string[],
): Promise<EvaluatePayload[]> {
  const fingerprint = await evaluatorFingerprint(tabularEvaluator);
  const campaign = await db.campaign.create({
    data: {
      name: "faults",
      status: "running",
      searchSpace: "nas-bench-201",
      evaluator: tabularEvaluator,
      evaluatorFingerprint: fingerprint,
      strategy: { kind: "random" },
      budgetEvaluations: archStrings.length,
      roundSize: archStrings.length,
      seed: 1,
    },
  });
  const round = await createRound(db, {
    campaignId: campaign.id,
    index: 0,
    strategy: "random",
    searchSpace: "nas-bench-201",
    evaluatorFingerprint: fingerprint,
    candidates: archStrings.map((archString) => ({
      archString,
      canonicalHash: space.canonicalHash(space.parse(archString)),
    })),
  });
  return archStrings.map((archString) => {
    const trial = round.trials.find((t) => t.archString === archString);
    assert.ok(trial, archString);
    return {
      campaignId: campaign.id,
      roundId: round.id,
      trialId: trial.id,
      architectureId: trial.architectureId,
      searchSpace: "nas-bench-201",
      archString,
      evaluator: { ...tabularEvaluator },
      evaluatorFingerprint: fingerprint,
    };
  });
}
