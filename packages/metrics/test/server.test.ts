import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { Counter, createRegistry, startMetricsServer } from "../src/index.ts";
import { findSamples, sumSamples } from "../src/testing.ts";

describe("metrics server", () => {
  test("serves the registry at /metrics in the Prometheus text format", async () => {
    const registry = createRegistry();
    const counter = new Counter({
      name: "nasvae_test_things_total",
      help: "Things counted by the test.",
      labelNames: ["kind"],
      registers: [registry],
    });
    counter.inc({ kind: "a" }, 3);
    counter.inc({ kind: "b" });
    const server = await startMetricsServer({ registry, port: 0 });
    try {
      const response = await fetch(`${server.url}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      assert.match(text, /# TYPE nasvae_test_things_total counter/);
      assert.equal(sumSamples(text, "nasvae_test_things_total", { kind: "a" }), 3);
      assert.equal(sumSamples(text, "nasvae_test_things_total"), 4);
      // Default process metrics, with the nasvae_ prefix.
      assert.equal(findSamples(text, "nasvae_process_cpu_user_seconds_total").length, 1);
      assert.equal(findSamples(text, "nasvae_nodejs_heap_size_used_bytes").length, 1);
    } finally {
      await server.close();
    }
  });

  test("answers /livez with 200, unknown paths with 404 and writes with 405", async () => {
    const server = await startMetricsServer({
      registry: createRegistry({ defaultMetrics: false }),
      port: 0,
    });
    try {
      const live = await fetch(`${server.url}/livez`);
      assert.equal(live.status, 200);
      assert.deepEqual(await live.json(), { status: "ok" });
      assert.equal((await fetch(`${server.url}/nothing`)).status, 404);
      assert.equal((await fetch(`${server.url}/metrics`, { method: "POST" })).status, 405);
    } finally {
      await server.close();
    }
  });

  test("answers /readyz with 200, or 503 and the reason while its readiness says not ready", async () => {
    let state: { ready: boolean; reason?: string } = { ready: true };
    const server = await startMetricsServer({
      registry: createRegistry({ defaultMetrics: false }),
      port: 0,
      readiness: () => state,
    });
    try {
      const ready = await fetch(`${server.url}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: "ready" });
      state = { ready: false, reason: "backend out of memory" };
      const notReady = await fetch(`${server.url}/readyz`);
      assert.equal(notReady.status, 503);
      assert.deepEqual(await notReady.json(), {
        status: "not ready",
        reason: "backend out of memory",
      });
      // Alive all the same: the process exits by itself, nobody needs to kill it.
      assert.equal((await fetch(`${server.url}/livez`)).status, 200);
    } finally {
      await server.close();
    }
  });

  test("closes cleanly with a keep-alive connection open, and frees its port", async () => {
    const server = await startMetricsServer({
      registry: createRegistry({ defaultMetrics: false }),
      port: 0,
    });
    // fetch keeps the connection alive, as Prometheus does between scrapes.
    await (await fetch(`${server.url}/metrics`)).text();
    await server.close();
    await assert.rejects(fetch(`${server.url}/livez`));
    const again = await startMetricsServer({
      registry: createRegistry({ defaultMetrics: false }),
      port: server.port,
    });
    assert.equal(again.port, server.port);
    await again.close();
  });

  test("rejects when its port is taken", async () => {
    const squatter = createServer();
    squatter.listen(0, "127.0.0.1");
    await once(squatter, "listening");
    const { port } = squatter.address() as AddressInfo;
    try {
      await assert.rejects(
        startMetricsServer({ registry: createRegistry({ defaultMetrics: false }), port }),
        /EADDRINUSE/,
      );
    } finally {
      squatter.close();
    }
  });

  test("answers 500 when a collector throws, and keeps serving", async () => {
    const registry = createRegistry({ defaultMetrics: false });
    let broken = true;
    new Counter({
      name: "nasvae_test_flaky_total",
      help: "A metric whose collection fails once.",
      registers: [registry],
      collect() {
        if (broken) {
          broken = false;
          throw new Error("collector broke");
        }
      },
    });
    const server = await startMetricsServer({ registry, port: 0 });
    try {
      const failed = await fetch(`${server.url}/metrics`);
      assert.equal(failed.status, 500);
      assert.match(await failed.text(), /collector broke/);
      assert.equal((await fetch(`${server.url}/metrics`)).status, 200);
    } finally {
      await server.close();
    }
  });
});

describe("parseMetrics", () => {
  test("reads labels with escaped quotes and values of every form", () => {
    const text = [
      "# HELP x A thing.",
      "# TYPE x gauge",
      'x{a="1",b="say \\"hi\\""} 2.5',
      "y 7",
      'z_bucket{le="+Inf"} 3',
    ].join("\n");
    assert.deepEqual(findSamples(text, "x"), [
      { name: "x", labels: { a: "1", b: 'say "hi"' }, value: 2.5 },
    ]);
    assert.equal(sumSamples(text, "y"), 7);
    assert.equal(sumSamples(text, "z_bucket", { le: "+Inf" }), 3);
    assert.equal(sumSamples(text, "missing"), 0);
  });
});
