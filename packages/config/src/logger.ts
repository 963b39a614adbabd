import { type Logger, type LoggerOptions, pino } from "pino";

export type { Logger };

/**
 * One JSON line per event on stdout. `app` names the process (api, coordinator, worker) so
 * logs of the whole stack can be read together; callers add campaign and job ids as bindings.
 */
export function createLogger(app: string, level = "info", options: LoggerOptions = {}): Logger {
  return pino({ level, base: { app, pid: process.pid }, ...options });
}
