import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, beforeEach, describe, test } from "node:test";
import { createRound, recordEvaluation } from "@nasvae/db";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { startCampaignJob } from "@nasvae/jobs";
import type { TestQueues } from "@nasvae/jobs/testing";
import type { FastifyInstance } from "fastify";
import { buildServer } from "../src/build.ts";
import { startTestApi, type TestApi } from "./support.ts";

const API_KEY = `nasvae_test_${randomBytes(16).toString("hex")}`;
const auth = { authorization: `Bearer ${API_KEY}` };

const validBody = {
  name: "api test",
  searchSpace: "nas-bench-201",
  evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
  strategy: { kind: "random" },
  budget: { evaluations: 20 },
  seed: 7,
};

describe("campaign routes", () => {
  let database: TestDatabase;
  let redis: TestQueues;
  let server: FastifyInstance;
  let api: TestApi;

  before(async () => {
    api = await startTestApi("api", { API_KEYS: API_KEY });
    ({ database, redis, server } = api);
  });
  after(async () => {
    await api.close();
  });
  beforeEach(async () => {
    await database.db.campaign.deleteMany();
    await redis.queues.byName.campaigns.obliterate({ force: true });
  });

  async function queuedJobs(): Promise<number> {
    const counts = await redis.queues.byName.campaigns.getJobCounts();
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  test("POST /campaigns writes the campaign, enqueues one job and answers 201 with a Location", async () => {
    const response = await server.inject({
      method: "POST",
      headers: auth,
      url: "/campaigns",
      payload: validBody,
    });
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json();
    assert.equal(response.headers.location, `/campaigns/${body.id}`);
    assert.equal(body.status, "queued");
    assert.equal(body.name, "api test");
    assert.deepEqual(body.budget, { evaluations: 20, perRound: 10 });
    assert.deepEqual(body.progress, {
      evaluations: 0,
      budget: 20,
      pending: 0,
      failed: 0,
      cached: 0,
      rounds: 0,
    });
    assert.equal(body.best, null);
    assert.equal(body.model, null);
    assert.equal(body.seed, 7);
    const row = await database.db.campaign.findUniqueOrThrow({ where: { id: body.id } });
    assert.equal(row.budgetEvaluations, 20);
    assert.match(row.evaluatorFingerprint, /^[0-9a-f]{64}$/);
    const job = await redis.queues.byName.campaigns.getJob(`campaign-${body.id}`);
    assert.deepEqual(job?.data, { campaignId: body.id });
    assert.equal(await queuedJobs(), 1);

    const fetched = await server.inject({ method: "GET", url: `/campaigns/${body.id}` });
    assert.equal(fetched.statusCode, 200);
    assert.deepEqual(fetched.json(), body);
  });

  test("name, seed and strategy are optional; the strategy defaults to graph-vae", async () => {
    const { name: _name, seed: _seed, strategy: _strategy, ...body } = validBody;
    const response = await server.inject({
      method: "POST",
      headers: auth,
      url: "/campaigns",
      payload: body,
    });
    assert.equal(response.statusCode, 201, response.body);
    assert.deepEqual(response.json().strategy, { kind: "graph-vae" });
    assert.equal(response.json().model, null);
    assert.equal(typeof response.json().seed, "number");
    assert.ok(response.json().name.length > 0);
  });

  test("strategy settings are kept as posted", async () => {
    const strategy = { kind: "graph-vae", lambda: 0.5, topK: 5 };
    const response = await server.inject({
      method: "POST",
      headers: auth,
      url: "/campaigns",
      payload: { ...validBody, strategy },
    });
    assert.equal(response.statusCode, 201, response.body);
    assert.deepEqual(response.json().strategy, strategy);
  });

  test("a train evaluator is stored with its defaults filled in; equal meaning, equal fingerprint", async () => {
    const post = (evaluator: object) =>
      server.inject({
        method: "POST",
        headers: auth,
        url: "/campaigns",
        payload: { ...validBody, evaluator },
      });
    const short = await post({ kind: "train", dataset: "synthetic-shapes", epochs: 2 });
    assert.equal(short.statusCode, 201, short.body);
    assert.deepEqual(short.json().evaluator, {
      kind: "train",
      dataset: "synthetic-shapes",
      epochs: 2,
      batchSize: 64,
      cellsPerStage: 5,
      channels: 16,
      optimizer: "sgd",
      learningRate: 0.1,
      momentum: 0.9,
      weightDecay: 5e-4,
      augment: true,
      seed: 0,
    });
    const spelt = await post({ ...short.json().evaluator });
    assert.equal(spelt.statusCode, 201, spelt.body);
    const rows = await database.db.campaign.findMany({ select: { evaluatorFingerprint: true } });
    assert.equal(rows.length, 2);
    assert.equal(rows[0]?.evaluatorFingerprint, rows[1]?.evaluatorFingerprint);
  });

  test("a repeated enqueue of the same campaign makes one job", async () => {
    const response = await server.inject({
      method: "POST",
      headers: auth,
      url: "/campaigns",
      payload: validBody,
    });
    const campaignId = response.json().id;
    await redis.queues.add(startCampaignJob, { campaignId });
    await redis.queues.add(startCampaignJob, { campaignId });
    assert.equal(await queuedJobs(), 1);
  });

  const badBodies: [string, unknown, RegExp][] = [
    [
      "unknown search space",
      { ...validBody, searchSpace: "nas-bench-101" },
      /body\.searchSpace: must be one of "nas-bench-201"/,
    ],
    [
      "unknown evaluator kind",
      { ...validBody, evaluator: { kind: "training", dataset: "cifar10" } },
      /body\.evaluator\.kind: must be one of "nas-bench-201", "enas-6-table", "train"/,
    ],
    [
      "train: unknown dataset",
      { ...validBody, evaluator: { kind: "train", dataset: "ImageNet16-120" } },
      /body\.evaluator\.dataset: must be one of "synthetic-shapes", "cifar10", "cifar100"/,
    ],
    [
      "train: unknown field",
      { ...validBody, evaluator: { kind: "train", dataset: "cifar10", lr: 0.1 } },
      /body\.evaluator\.lr: unknown field/,
    ],
    [
      "train: out of range",
      { ...validBody, evaluator: { kind: "train", dataset: "cifar10", epochs: 0 } },
      /body\.evaluator\.epochs: must be >= 1/,
    ],
    [
      "train: early stopping after the last epoch",
      {
        ...validBody,
        evaluator: {
          kind: "train",
          dataset: "cifar10",
          epochs: 3,
          earlyStopping: { rule: "median", afterEpochs: 3 },
        },
      },
      /earlyStopping\.afterEpochs must be an integer from 1 to 2, got 3/,
    ],
    [
      "unknown dataset",
      { ...validBody, evaluator: { kind: "nas-bench-201", dataset: "mnist" } },
      /body\.evaluator\.dataset: must be one of/,
    ],
    [
      "unknown strategy",
      { ...validBody, strategy: { kind: "magic" } },
      /body\.strategy\.kind: must be one of "random", "evolution", "graph-vae"/,
    ],
    [
      "bad strategy setting",
      { ...validBody, strategy: { kind: "evolution", populationSize: 1 } },
      /body\.strategy\.populationSize: must be >= 2/,
    ],
    [
      "graph-vae: an expected-improvement acquisition with a FLOPs trade-off",
      { ...validBody, strategy: { kind: "graph-vae", acquisition: "gp-ei", lambda: 0.5 } },
      /strategy\.acquisition "gp-ei" chooses by accuracy alone: it needs lambda 0, got 0\.5/,
    ],
    [
      "unknown strategy setting",
      { ...validBody, strategy: { kind: "graph-vae", depth: 3 } },
      /body\.strategy\.depth: unknown field/,
    ],
    [
      "budget zero",
      { ...validBody, budget: { evaluations: 0 } },
      /body\.budget\.evaluations: must be >= 1/,
    ],
    [
      "budget not an integer",
      { ...validBody, budget: { evaluations: 1.5 } },
      /body\.budget\.evaluations: must be integer/,
    ],
    [
      "budget as a string",
      { ...validBody, budget: { evaluations: "5" } },
      /body\.budget\.evaluations: must be integer/,
    ],
    [
      "budget above the maximum",
      { ...validBody, budget: { evaluations: 501 } },
      /body\.budget\.evaluations: must be <= 500/,
    ],
    ["unknown top-level field", { ...validBody, priority: 1 }, /body\.priority: unknown field/],
    [
      "unknown nested field",
      { ...validBody, budget: { evaluations: 5, hours: 2 } },
      /body\.budget\.hours: unknown field/,
    ],
    ["missing evaluator", { ...validBody, evaluator: undefined }, /body\.evaluator: is required/],
    ["seed of the wrong type", { ...validBody, seed: "seven" }, /body\.seed/],
    ["name of the wrong type", { ...validBody, name: 42 }, /body\.name/],
    ["not an object", [1, 2], /body/],
  ];
  for (const [label, payload, message] of badBodies) {
    test(`400 naming the field, nothing written or enqueued: ${label}`, async () => {
      const response = await server.inject({
        method: "POST",
        headers: auth,
        url: "/campaigns",
        payload: payload as object,
      });
      assert.equal(response.statusCode, 400, response.body);
      assert.match(response.json().message, message);
      assert.equal(await database.db.campaign.count(), 0);
      assert.equal(await queuedJobs(), 0);
    });
  }

  test("a train spec that cannot fit a worker's memory is a 400 with the estimate and the limit", async () => {
    const post = (payload: object) =>
      server.inject({ method: "POST", headers: auth, url: "/campaigns", payload });
    const huge = {
      kind: "train",
      dataset: "synthetic-shapes",
      epochs: 1000,
      batchSize: 4096,
      cellsPerStage: 20,
      channels: 512,
    };
    const refused = await post({ ...validBody, evaluator: huge });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.match(
      refused.json().message,
      /needs about \d+ MiB of worker memory \(activations \d+ MiB at batchSize 4096, parameters \d+ MiB, gradients and optimizer state \d+ MiB\), above the limit of 2048 MiB \(TRAIN_MEMORY_LIMIT_MB\): lower batchSize or channels or cellsPerStage/,
    );
    // ENAS-6 ignores cellsPerStage; its own estimate decides, and says what to lower.
    const enas = await post({
      ...validBody,
      searchSpace: "enas-macro-6",
      evaluator: { ...huge, cellsPerStage: 20, channels: 16, batchSize: 64 },
    });
    assert.equal(enas.statusCode, 201, enas.body);
    const enasHuge = await post({ ...validBody, searchSpace: "enas-macro-6", evaluator: huge });
    assert.equal(enasHuge.statusCode, 400);
    assert.match(enasHuge.json().message, /lower batchSize or channels$/);
    // The defaults (N=5, C=16, batch 64) fit; nothing was written for the refused ones.
    const defaults = await post({
      ...validBody,
      evaluator: { kind: "train", dataset: "cifar10" },
    });
    assert.equal(defaults.statusCode, 201, defaults.body);
    assert.equal(await database.db.campaign.count(), 2);
  });

  test("TRAIN_MEMORY_LIMIT_MB sets the limit", async () => {
    const small = await startTestApi("api_memory_limit", {
      API_KEYS: API_KEY,
      TRAIN_MEMORY_LIMIT_MB: 200,
    });
    try {
      const post = (evaluator: object) =>
        small.server.inject({
          method: "POST",
          headers: auth,
          url: "/campaigns",
          payload: { ...validBody, evaluator },
        });
      const refused = await post({ kind: "train", dataset: "cifar10" });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.json().message, /above the limit of 200 MiB/);
      const tiny = await post({ kind: "train", dataset: "cifar10", cellsPerStage: 1, channels: 4 });
      assert.equal(tiny.statusCode, 201, tiny.body);
    } finally {
      await small.close();
    }
  });

  test("malformed JSON is a 400, nothing written", async () => {
    const response = await server.inject({
      method: "POST",
      url: "/campaigns",
      headers: { ...auth, "content-type": "application/json" },
      payload: '{"name": "x", ',
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.json().message, /JSON/);
    assert.equal(await database.db.campaign.count(), 0);
  });

  test("unknown or malformed campaign ids are 404", async () => {
    for (const id of ["6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab", "not-a-uuid"]) {
      for (const url of [`/campaigns/${id}`, `/campaigns/${id}/evaluations`]) {
        const response = await server.inject({ method: "GET", url });
        assert.equal(response.statusCode, 404, url);
        assert.match(response.json().message, new RegExp(`campaign ${id} not found`));
      }
    }
  });

  test("evaluations paging is validated", async () => {
    const created = await server.inject({
      method: "POST",
      headers: auth,
      url: "/campaigns",
      payload: validBody,
    });
    const id = created.json().id;
    const ok = await server.inject({
      method: "GET",
      url: `/campaigns/${id}/evaluations?limit=1000&offset=0`,
    });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { items: [], total: 0, limit: 1000, offset: 0 });
    for (const query of ["limit=1001", "limit=0", "limit=abc", "offset=-1", "sort=x"]) {
      const response = await server.inject({
        method: "GET",
        url: `/campaigns/${id}/evaluations?${query}`,
      });
      assert.equal(response.statusCode, 400, query);
      assert.match(response.json().message, /querystring\./);
    }
  });

  test("GET /campaigns lists newest first, filters by status and paginates", async () => {
    const ids: string[] = [];
    for (const name of ["first", "second", "third"]) {
      const response = await server.inject({
        method: "POST",
        headers: auth,
        url: "/campaigns",
        payload: { ...validBody, name },
      });
      ids.push(response.json().id);
    }
    await database.db.campaign.update({
      where: { id: ids[0] as string },
      data: { status: "completed" },
    });
    const all = await server.inject({ method: "GET", url: "/campaigns?limit=2" });
    assert.equal(all.statusCode, 200);
    assert.equal(all.json().total, 3);
    assert.deepEqual(
      all.json().items.map((c: { name: string }) => c.name),
      ["third", "second"],
    );
    const next = await server.inject({ method: "GET", url: "/campaigns?limit=2&offset=2" });
    assert.deepEqual(
      next.json().items.map((c: { name: string }) => c.name),
      ["first"],
    );
    const completed = await server.inject({ method: "GET", url: "/campaigns?status=completed" });
    assert.deepEqual(
      completed.json().items.map((c: { id: string }) => c.id),
      [ids[0]],
    );
    for (const query of ["status=done", "limit=0", "limit=1001", "offset=-1", "name=x"]) {
      const response = await server.inject({ method: "GET", url: `/campaigns?${query}` });
      assert.equal(response.statusCode, 400, query);
      assert.match(response.json().message, /querystring\./);
    }
  });

  test("GET /campaigns/:id/pareto-front returns the non-dominated architectures; evaluations sort by accuracy or FLOPs", async () => {
    const created = await server.inject({
      method: "POST",
      headers: auth,
      url: "/campaigns",
      payload: validBody,
    });
    const campaign = created.json();
    const row = await database.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    const points: [number, number][] = [
      [80, 10],
      [85, 30],
      [83, 20],
      [90, 60],
      [70, 50],
    ];
    const round = await createRound(database.db, {
      campaignId: campaign.id,
      index: 0,
      strategy: "random",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: row.evaluatorFingerprint,
      candidates: points.map((_, i) => ({
        archString: `front-${i}`,
        canonicalHash: `front-hash-${i}`,
      })),
    });
    for (const [i, [accuracy, flops]] of points.entries()) {
      const trial = round.trials.find((t) => t.archString === `front-${i}`);
      assert.ok(trial);
      await recordEvaluation(database.db, {
        trialId: trial.id,
        architectureId: trial.architectureId,
        evaluatorFingerprint: row.evaluatorFingerprint,
        evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
        result: { validationAccuracy: accuracy, testAccuracy: accuracy, flops, params: 1 },
        worker: "w",
        durationMs: 1,
      });
    }
    const response = await server.inject({
      method: "GET",
      url: `/campaigns/${campaign.id}/pareto-front`,
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(
      response
        .json()
        .items.map((item: { architecture: string; flops: number }) => [
          item.architecture,
          item.flops,
        ]),
      [
        ["front-0", 10],
        ["front-2", 20],
        ["front-1", 30],
        ["front-3", 60],
      ],
    );
    const sorted = async (sort: string) =>
      (
        await server.inject({
          method: "GET",
          url: `/campaigns/${campaign.id}/evaluations?sort=${sort}`,
        })
      )
        .json()
        .items.map((item: { validationAccuracy: number; flops: number }) => [
          item.validationAccuracy,
          item.flops,
        ]);
    assert.deepEqual(await sorted("accuracy"), [
      [90, 60],
      [85, 30],
      [83, 20],
      [80, 10],
      [70, 50],
    ]);
    assert.deepEqual(await sorted("flops"), [
      [80, 10],
      [83, 20],
      [85, 30],
      [70, 50],
      [90, 60],
    ]);
    const missing = await server.inject({
      method: "GET",
      url: "/campaigns/not-a-uuid/pareto-front",
    });
    assert.equal(missing.statusCode, 404);
  });

  test("GET /healthz reports both services", async () => {
    const response = await server.inject({ method: "GET", url: "/healthz" });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: "ok", postgres: "up", redis: "up" });
  });
});

describe("campaign routes with Redis unreachable", () => {
  test("POST /campaigns answers 503 naming Redis's address and keeps nothing", async () => {
    const database = await createTestDatabase("api_noredis");
    const server = await buildServer({
      DATABASE_URL: database.url,
      REDIS_URL: "redis://127.0.0.1:1",
      QUEUE_PREFIX: "unreachable",
      MAX_BUDGET: 500,
      API_KEYS: API_KEY,
      LOG_LEVEL: "silent",
    });
    try {
      const response = await server.inject({
        method: "POST",
        headers: auth,
        url: "/campaigns",
        payload: validBody,
      });
      assert.equal(response.statusCode, 503, response.body);
      assert.match(response.json().message, /Redis at 127\.0\.0\.1:1/);
      assert.equal(await database.db.campaign.count(), 0);
      const health = await server.inject({ method: "GET", url: "/healthz" });
      assert.equal(health.statusCode, 503);
      assert.equal(health.json().redis, "down");
    } finally {
      await server.close();
      await database.drop();
    }
  });
});
