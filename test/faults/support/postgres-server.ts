// A PostgreSQL server of the test's own (initdb in a temporary directory, a free port), which a
// fault test stops and starts again; the shared server on 5432 is never touched.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { chownSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./faults.ts";

/** Where Debian puts the server binaries (initdb and postgres are not on PATH). */
function postgresBin(name: string): string {
  const root = "/usr/lib/postgresql";
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error(`no PostgreSQL under ${root}`);
  return join(root, versions[0] as string, "bin", name);
}

/** initdb and postgres refuse to run as root: run them as the `postgres` user then. */
function runAs(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
  return { uid, gid };
}

export class PostgresServer {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dataDir: string,
  ) {}

  /** A fresh cluster (trust auth, fsync off) on a free port, started. */
  static async start(): Promise<PostgresServer> {
    const dir = mkdtempSync(join(tmpdir(), "nasvae-pg-"));
    const user = runAs();
    if ("uid" in user) chownSync(dir, user.uid, user.gid);
    execFileSync(
      postgresBin("initdb"),
      ["-D", dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
      { ...user, stdio: "ignore" },
    );
    const server = new PostgresServer(await freePort(), dir);
    await server.startAgain();
    return server;
  }

  /** DATABASE_URL of a database on it (created by the migrator when missing). */
  url(database = "nasvae"): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts the server on its data directory; resolves once it accepts connections. */
  async startAgain(): Promise<void> {
    const child = spawn(
      postgresBin("postgres"),
      [
        "-D",
        this.dataDir,
        "-p",
        String(this.port),
        "-k",
        this.dataDir,
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "fsync=off",
      ],
      { ...runAs(), stdio: ["ignore", "ignore", "pipe"] },
    );
    this.child = child;
    process.once("exit", () => child.kill("SIGKILL"));
    const log: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`postgres did not start:\n${log.join("")}`)),
        30_000,
      );
      child.stderr?.on("data", (chunk: Buffer) => {
        log.push(chunk.toString());
        if (/ready to accept connections/.test(log.join(""))) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`postgres exited (${code}):\n${log.join("")}`));
      });
    });
  }

  /** Fast shutdown (SIGINT): open connections are closed, new ones refused. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.removeAllListeners("exit");
    const exited = once(child, "exit");
    child.kill("SIGINT");
    await exited;
  }

  /** Stops it and deletes its data directory. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
