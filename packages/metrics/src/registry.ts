import { collectDefaultMetrics, Registry } from "prom-client";

/** Every metric of nasvae starts with this, default process metrics included. */
export const METRIC_PREFIX = "nasvae_";

export interface RegistryOptions {
  /**
   * Node.js process metrics (CPU, memory, event-loop lag, GC...) as `nasvae_process_*` and
   * `nasvae_nodejs_*`. Default: true; tests that build many registries turn them off.
   */
  defaultMetrics?: boolean;
}

/**
 * A registry of its own per app instance rather than prom-client's global one, so that tests can
 * build several servers or workers in one process without "metric already registered" errors.
 */
export function createRegistry(options: RegistryOptions = {}): Registry {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  }
  return registry;
}
