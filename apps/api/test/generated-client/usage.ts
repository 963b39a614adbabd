// Compiled by openapi.test.ts with `tsc --strict` next to `schema.ts`, the types that
// openapi-typescript generates from the served /docs/json: what a developer outside the project
// writes with openapi-fetch. It calls every route of the document (the test checks that) and is
// never run. Excluded from the repository's own typecheck: schema.ts exists only in the test.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.ts";

type Campaign = components["schemas"]["Campaign"];

const client = createClient<paths>({
  baseUrl: "http://localhost:3000",
  headers: { authorization: "Bearer nasvae_0123456789abcdef" },
});

export async function everyRoute(): Promise<void> {
  // The README's example.
  const created = await client.POST("/campaigns", {
    body: {
      name: "first search",
      searchSpace: "nas-bench-201",
      evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
      strategy: { kind: "random" },
      budget: { evaluations: 100, perRound: 10 },
      seed: 7,
    },
  });
  if (created.error) throw new Error(created.error.message);
  const campaign: Campaign = created.data;
  const location: string | null = created.response.headers.get("location");
  const id = campaign.id;

  // Each evaluator and strategy with its own settings.
  await client.POST("/campaigns", {
    body: {
      searchSpace: "enas-macro-6",
      evaluator: {
        kind: "train",
        dataset: "fashion-mnist",
        epochs: 4,
        batchSize: 64,
        optimizer: "sgd",
        learningRate: 0.05,
        earlyStopping: { rule: "median", afterEpochs: 2, minPeers: 3 },
      },
      strategy: { kind: "graph-vae" },
      budget: { evaluations: 20 },
    },
  });
  await client.POST("/campaigns", {
    body: {
      searchSpace: "enas-macro-6",
      evaluator: { kind: "enas-6-table" },
      strategy: { kind: "evolution" },
      budget: { evaluations: 50 },
    },
  });
  await client.POST("/campaigns", {
    body: {
      searchSpace: "nas-bench-201",
      evaluator: {
        kind: "nas-bench-201",
        dataset: "cifar10",
        // @ts-expect-error: a setting of another evaluator kind is not part of this one
        epochs: 4,
      },
      budget: { evaluations: 10 },
    },
  });
  await client.POST("/campaigns", {
    body: {
      searchSpace: "nas-bench-201",
      evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
      // @ts-expect-error: no such strategy
      strategy: { kind: "grid" },
      budget: { evaluations: 10 },
    },
  });

  // Query parameters with defaults may be left out.
  const list = await client.GET("/campaigns");
  const first: Campaign | undefined = list.data?.items[0];
  await client.GET("/campaigns", {
    params: { query: { status: "running", limit: 10, offset: 20 } },
  });
  const one = await client.GET("/campaigns/{id}", { params: { path: { id } } });
  const bestGraph = one.data?.best?.graph?.nodes.length;
  const remaining: string | null | undefined = one.response.headers.get("x-ratelimit-remaining");
  await client.GET("/campaigns/{id}/evaluations", { params: { path: { id } } });
  const evaluations = await client.GET("/campaigns/{id}/evaluations", {
    params: { path: { id }, query: { sort: "accuracy", limit: 5 } },
  });
  const accuracy: number | undefined = evaluations.data?.items[0]?.validationAccuracy;
  await client.GET("/campaigns/{id}/pareto-front", { params: { path: { id } } });
  const rounds = await client.GET("/campaigns/{id}/rounds", { params: { path: { id } } });
  await client.GET("/campaigns/{id}/rounds", { params: { path: { id }, query: { fromRound: 3 } } });
  const paused = await client.POST("/campaigns/{id}/pause", { params: { path: { id } } });
  const status: Campaign["status"] | undefined = paused.data?.status;
  await client.POST("/campaigns/{id}/resume", { params: { path: { id } } });
  const cancelled = await client.POST("/campaigns/{id}/cancel", { params: { path: { id } } });
  if (cancelled.error) console.log(cancelled.error.statusCode, cancelled.error.message);

  const architectureId = rounds.data?.items[0]?.trials[0]?.architectureId ?? id;
  const architecture = await client.GET("/architectures/{id}", {
    params: { path: { id: architectureId } },
  });
  const canonicalHash: string | undefined = architecture.data?.canonicalHash;
  await client.GET("/datasets");
  await client.GET("/search-spaces");
  await client.GET("/metrics", { parseAs: "text" });
  await client.GET("/livez");
  const ready = await client.GET("/readyz");
  const postgres: "up" | "down" | undefined = ready.data?.postgres;
  await client.GET("/healthz");

  console.log(location, first, bestGraph, remaining, accuracy, status, canonicalHash, postgres);
}
