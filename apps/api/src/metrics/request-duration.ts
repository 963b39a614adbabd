import { Histogram, type Registry } from "@nasvae/metrics";

/** API requests by method, route pattern and status code, observed when each response is sent. */
export function requestDurationHistogram(
  registry: Registry,
): Histogram<"method" | "route" | "status_code"> {
  return new Histogram({
    name: "nasvae_http_request_duration_seconds",
    help: "API requests by method, route (its pattern, never the raw URL) and status code.",
    labelNames: ["method", "route", "status_code"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
}
