// docs/metrics.md documents every metric the processes register, with its type and labels.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { Registry } from "@nasvae/metrics";
import { createRegistry } from "@nasvae/metrics";
import { requestDurationHistogram } from "../../apps/api/src/metrics/request-duration.ts";
import { SystemState } from "../../apps/api/src/metrics/system-state.ts";
import { CoordinatorMetrics } from "../../apps/coordinator/src/metrics.ts";
import { WorkerMetrics } from "../../apps/worker/src/metrics.ts";

const docs = readFileSync(new URL("../../docs/metrics.md", import.meta.url), "utf8");

/** Rows of the docs' metric tables: `| \`name\` | type | \`label\`, ... | meaning |`. */
function documentedMetrics(): Map<string, { type: string; labels: string[] }> {
  const rows = new Map<string, { type: string; labels: string[] }>();
  for (const line of docs.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const name = /^`(nasvae_[a-z_]+)`$/.exec(cells[1] ?? "")?.[1];
    if (!name) continue;
    const labels = [...(cells[3] ?? "").matchAll(/`([a-z_]+)`/g)].map((m) => m[1] ?? "");
    rows.set(name, { type: cells[2] ?? "", labels });
  }
  return rows;
}

function describeRegistry(registry: Registry) {
  return registry.getMetricsAsArray().map((metric) => {
    const { name, type, labelNames } = metric as unknown as {
      name: string;
      type: string;
      labelNames: string[];
    };
    return { name, type, labels: [...(labelNames ?? [])] };
  });
}

/** The API's own metrics, as its metrics plugin registers them (no source is read here). */
function apiRegistry(): Registry {
  const registry = createRegistry({ defaultMetrics: false });
  new SystemState(registry, {} as ConstructorParameters<typeof SystemState>[1]);
  requestDurationHistogram(registry);
  return registry;
}

test("every nasvae metric is in docs/metrics.md with its type and labels", () => {
  const defaults = new Set(describeRegistry(createRegistry()).map((metric) => metric.name));
  const own = [
    ...describeRegistry(apiRegistry()),
    ...describeRegistry(new WorkerMetrics().registry),
    ...describeRegistry(new CoordinatorMetrics().registry),
  ].filter((metric) => !defaults.has(metric.name));
  const documented = documentedMetrics();
  assert.ok(own.length >= 14, `only ${own.length} metrics found`);
  for (const metric of own) {
    assert.deepEqual(
      documented.get(metric.name),
      { type: metric.type, labels: metric.labels },
      `${metric.name} in docs/metrics.md`,
    );
  }
  assert.deepEqual(
    [...documented.keys()].filter((name) => !own.some((metric) => metric.name === name)),
    [],
    "documented metrics that no process registers",
  );
  for (const name of defaults) assert.ok(docs.includes(`\`${name}\``), `${name} not listed`);
});
