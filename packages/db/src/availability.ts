// Postgres going away for a while (a restart, a failover, a network cut) must not fail work:
// the apps tell "the database is unreachable" from real errors and retry the former.
import type { Logger } from "@nasvae/config";
import type { Database } from "./client.ts";

/** Prisma's codes for "no answer from the database" (and transient conflicts worth retrying). */
const TRANSIENT_PRISMA_CODES = new Set([
  "P1001", // can't reach the database server
  "P1002", // the server was reached but timed out
  "P1008", // operations timed out
  "P1017", // the server closed the connection
  "P2024", // timed out fetching a connection from the pool
  "P2028", // transaction API error (could not start one in time, or it was closed under us)
  "P2034", // write conflict or deadlock: the transaction can be retried
]);

/** What the pg driver adapter reports for a connection it could not open or lost. */
const TRANSIENT_ADAPTER_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
  "TransactionWriteConflict",
]);

/** Socket errors of Node and the resolver. */
const TRANSIENT_SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNABORTED",
]);

/**
 * SQLSTATEs of a server that is going away or not there yet: class 08 (connection exception),
 * 57P01-57P03 (admin or crash shutdown, cannot connect now: starting up), 53300 (too many
 * connections), 40001/40P01 (serialization failure, deadlock).
 */
function isTransientSqlState(code: string): boolean {
  return (
    code.startsWith("08") || ["57P01", "57P02", "57P03", "53300", "40001", "40P01"].includes(code)
  );
}

/** Messages of the pg driver's own errors, which carry no code. */
const TRANSIENT_MESSAGES = [
  /Connection terminated/i, // unexpectedly, or due to connection timeout
  /connection error and is not queryable/i,
  /timeout exceeded when trying to connect/i,
  /Client was closed and is not queryable/i,
];

/**
 * True when `error` says that Postgres could not be reached or dropped the connection (or a
 * transaction lost a write conflict): retrying the same idempotent work later can succeed.
 * False for everything else (constraint violations, bad queries, missing rows), which retrying
 * cannot fix. Looks through the causes Prisma and the driver adapter wrap errors in.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (typeof current !== "object" || current === null || seen.has(current)) continue;
    seen.add(current);
    if (current instanceof DatabaseUnavailableError) return true;
    const record = current as Record<string, unknown>;
    const code = typeof record.code === "string" ? record.code : undefined;
    if (code && TRANSIENT_PRISMA_CODES.has(code)) return true;
    if (code && TRANSIENT_SOCKET_CODES.has(code)) return true;
    if (typeof record.kind === "string") {
      if (TRANSIENT_ADAPTER_KINDS.has(record.kind)) return true;
      if (record.kind === "postgres" && typeof record.code === "string") {
        if (isTransientSqlState(record.code)) return true;
      }
    }
    // pg's DatabaseError: a SQLSTATE with a severity.
    if (code && typeof record.severity === "string" && isTransientSqlState(code)) return true;
    if (typeof record.errorCode === "string" && TRANSIENT_PRISMA_CODES.has(record.errorCode)) {
      return true; // PrismaClientInitializationError
    }
    if (
      current instanceof Error &&
      TRANSIENT_MESSAGES.some((pattern) => pattern.test(current.message))
    ) {
      return true;
    }
    const meta = record.meta as Record<string, unknown> | undefined;
    queue.push(record.cause, meta?.driverAdapterError);
  }
  return false;
}

/** Thrown when Postgres stayed unreachable for longer than the retry budget. */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
  constructor(
    readonly waitedMs: number,
    options: { cause: unknown },
  ) {
    super(
      `the database stayed unreachable for ${Math.round(waitedMs / 1000)} s: ${(options.cause as Error)?.message ?? String(options.cause)}`,
      options,
    );
  }
}

export interface DatabaseRetryOptions {
  /** How long to keep retrying, from the first failure; then DatabaseUnavailableError. */
  timeoutMs: number;
  /** Told when the database is first found unreachable, every ~30 s after, and when it is back. */
  log?: Logger;
  /** First wait; each one doubles, up to maxDelayMs, with ±20 % jitter. Default: 250 ms. */
  minDelayMs?: number;
  /** Default: 5000 ms. */
  maxDelayMs?: number;
  /** Ends the waiting early (shutdown): the last error is thrown. */
  signal?: AbortSignal;
  /** Which errors to retry. Default: isDatabaseUnavailable. */
  retryable?: (error: unknown) => boolean;
}

/**
 * Runs `operation`, and runs it again (with exponential backoff) while it fails because the
 * database is unreachable, for at most `timeoutMs`. The operation must be safe to repeat: it may
 * have committed before the connection dropped. Other errors are thrown at once.
 */
export async function retryWhileDatabaseUnavailable<T>(
  operation: () => Promise<T>,
  options: DatabaseRetryOptions,
): Promise<T> {
  const minDelay = options.minDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 5000;
  let firstFailure: number | undefined;
  let lastReport = 0;
  let attempt = 0;
  for (;;) {
    try {
      const result = await operation();
      if (firstFailure !== undefined) {
        options.log?.info(
          { waitedMs: Date.now() - firstFailure, attempts: attempt + 1 },
          "database reachable again",
        );
      }
      return result;
    } catch (error) {
      if (!(options.retryable ?? isDatabaseUnavailable)(error)) throw error;
      const now = Date.now();
      firstFailure ??= now;
      const waited = now - firstFailure;
      if (waited >= options.timeoutMs || options.signal?.aborted) {
        throw new DatabaseUnavailableError(waited, { cause: error });
      }
      if (now - lastReport >= 30_000) {
        lastReport = now;
        options.log?.warn(
          { err: error, waitedMs: waited, retryForMs: options.timeoutMs - waited },
          "database unreachable: retrying",
        );
      }
      const delay = Math.min(maxDelay, minDelay * 2 ** attempt) * (0.8 + 0.4 * Math.random());
      attempt += 1;
      await sleep(Math.min(delay, options.timeoutMs - waited), options.signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Answers when the database answers a trivial query (`SELECT 1`); rejects when it does not. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
