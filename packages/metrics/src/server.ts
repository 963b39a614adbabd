import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export interface MetricsServerOptions {
  registry: Registry;
  /** 0 picks a free port (see `port` of the result). */
  port: number;
  /** Default: 127.0.0.1; containers use 0.0.0.0 so that Prometheus can reach them. */
  host?: string;
  /**
   * What `GET /readyz` answers: 200 while it says ready, else 503 with the reason (a worker whose
   * backend ran out of memory). Default: always ready.
   */
  readiness?: () => Readiness;
}

/** Whether a process can do its work; `reason` says why not. */
export interface Readiness {
  readonly ready: boolean;
  readonly reason?: string;
}

export interface MetricsServer {
  /** The port it listens on (the one chosen when asked for 0). */
  readonly port: number;
  /** http://HOST:PORT */
  readonly url: string;
  /** Stops listening and waits for scrapes in flight. */
  close(): Promise<void>;
}

/**
 * The HTTP side of a process that has no API of its own (worker, coordinator): `GET /metrics`
 * (Prometheus text format), `GET /livez` (200 while the process runs, for healthchecks) and
 * `GET /readyz` (200, or 503 with a reason while `readiness` says not ready).
 * Rejects when the port cannot be bound (e.g. EADDRINUSE).
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { registry, port, host = "127.0.0.1", readiness } = options;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" });
      response.end("method not allowed\n");
      return;
    }
    if (path === "/livez") {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ status: "ok" }));
      return;
    }
    if (path === "/readyz") {
      const state = readiness?.() ?? { ready: true };
      response.writeHead(state.ready ? 200 : 503, { "content-type": "application/json" });
      response.end(
        JSON.stringify(
          state.ready ? { status: "ready" } : { status: "not ready", reason: state.reason ?? null },
        ),
      );
      return;
    }
    if (path === "/metrics") {
      registry.metrics().then(
        (text) => {
          response.writeHead(200, { "content-type": registry.contentType });
          response.end(request.method === "HEAD" ? undefined : text);
        },
        (error: unknown) => {
          response.writeHead(500, { "content-type": "text/plain" });
          response.end(`metrics collection failed: ${(error as Error).message}\n`);
        },
      );
      return;
    }
    response.writeHead(404, { "content-type": "text/plain" });
    response.end("not found: try /metrics, /livez or /readyz\n");
  });
  server.listen(port, host);
  await once(server, "listening"); // rejects with the error if the port cannot be bound
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${bound}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Prometheus keeps its connection open between scrapes; idle ones must not hold close().
        server.closeIdleConnections();
      }),
  };
}
