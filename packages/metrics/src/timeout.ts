/** Rejects with a TimeoutError once `ms` have passed, if `promise` has not settled by then. */
export class TimeoutError extends Error {
  override name = "TimeoutError";
}

/**
 * Bounds a dependency check or a scrape-time query, so that a hung Redis or Postgres makes a
 * probe or a scrape answer late by `ms` at most instead of never. The work itself is not
 * cancelled; its late result is ignored.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what = "operation"): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
