import type { Logger } from "pino";

export interface ShutdownOptions {
  log: Logger;
  /** Longest wait for `close` before the process exits anyway (code 1). */
  timeoutMs: number;
  signals?: NodeJS.Signals[];
}

/**
 * On SIGTERM or SIGINT, runs `close` once (stop taking work, let running work finish, release
 * connections) and exits; a hard timeout ends a shutdown that hangs. A second signal exits at
 * once.
 */
export function onShutdown(options: ShutdownOptions, close: () => Promise<void>): void {
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (closing) {
      options.log.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    closing = true;
    options.log.info({ signal, timeoutMs: options.timeoutMs }, "shutting down");
    const timer = setTimeout(() => {
      options.log.error({ timeoutMs: options.timeoutMs }, "shutdown timed out: exiting");
      process.exit(1);
    }, options.timeoutMs);
    timer.unref();
    close().then(
      () => {
        options.log.info("shut down cleanly");
        process.exit(0);
      },
      (error: unknown) => {
        options.log.error({ err: error }, "error during shutdown");
        process.exit(1);
      },
    );
  };
  for (const signal of options.signals ?? ["SIGTERM", "SIGINT"]) process.on(signal, handler);
}
