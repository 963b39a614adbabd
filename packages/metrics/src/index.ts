// What the apps need of prom-client comes through here, so they share one version and prefix.
export {
  Counter,
  Gauge,
  Histogram,
  type LabelValues,
  Registry,
} from "prom-client";
export { createRegistry, METRIC_PREFIX, type RegistryOptions } from "./registry.ts";
export {
  type MetricsServer,
  type MetricsServerOptions,
  type Readiness,
  startMetricsServer,
} from "./server.ts";
export { TimeoutError, withTimeout } from "./timeout.ts";
