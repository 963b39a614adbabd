// Access control, rate limits, CORS and hostile input, against a real API on real services.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createApiKey, revokeApiKey } from "@nasvae/db";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import type { FastifyInstance } from "fastify";
import { type BuildOptions, buildServer } from "../src/build.ts";

const API_KEY = `nasvae_test_${randomBytes(16).toString("hex")}`;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const basic = (key: string) => ({
  authorization: `Basic ${Buffer.from(`anyone:${key}`).toString("base64")}`,
});

const validBody = {
  name: "access test",
  searchSpace: "nas-bench-201",
  evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
  strategy: { kind: "random" },
  budget: { evaluations: 10 },
};

describe("access control, limits and hostile input", () => {
  let database: TestDatabase;
  let redis: TestQueues;
  let server: FastifyInstance;
  const extraServers: FastifyInstance[] = [];

  async function build(overrides: Partial<BuildOptions> = {}): Promise<FastifyInstance> {
    const instance = await buildServer({
      DATABASE_URL: database.url,
      REDIS_URL: redis.redisUrl,
      QUEUE_PREFIX: redis.prefix,
      MAX_BUDGET: 500,
      API_KEYS: API_KEY,
      LOG_LEVEL: "silent",
      ...overrides,
    });
    if (overrides !== undefined && Object.keys(overrides).length > 0) extraServers.push(instance);
    return instance;
  }

  async function campaignCount(): Promise<number> {
    return database.db.campaign.count();
  }

  before(async () => {
    database = await createTestDatabase("api_access");
    redis = await createTestQueues("api-access");
    server = await build();
  });
  after(async () => {
    for (const instance of [server, ...extraServers]) await instance.close();
    await redis.cleanup();
    await database.drop();
  });

  test("a write without a key is refused with 401 and a Bearer challenge; nothing is written", async () => {
    const response = await server.inject({ method: "POST", url: "/campaigns", payload: validBody });
    assert.equal(response.statusCode, 401);
    assert.equal(response.headers["www-authenticate"], 'Bearer realm="nasvae"');
    assert.match(response.json().message, /needs an API key.*Authorization: Bearer KEY/);
    assert.equal(await campaignCount(), 0);
  });

  test("a wrong key is refused with 401, even on a read", async () => {
    const wrong = `nasvae_${randomBytes(16).toString("hex")}`;
    for (const [method, url] of [
      ["POST", "/campaigns"],
      ["GET", "/campaigns"],
    ] as const) {
      const response = await server.inject({
        method,
        url,
        headers: bearer(wrong),
        ...(method === "POST" ? { payload: validBody } : {}),
      });
      assert.equal(response.statusCode, 401, `${method} ${url}`);
      assert.match(response.json().message, /not valid \(unknown\)/);
    }
    const malformed = await server.inject({
      method: "POST",
      url: "/campaigns",
      headers: { authorization: "Token abc" },
      payload: validBody,
    });
    assert.equal(malformed.statusCode, 401);
    assert.equal(await campaignCount(), 0);
  });

  test("a key from API_KEYS writes, and reads need none by default", async () => {
    const created = await server.inject({
      method: "POST",
      url: "/campaigns",
      headers: bearer(API_KEY),
      payload: validBody,
    });
    assert.equal(created.statusCode, 201, created.body);
    const read = await server.inject({ method: "GET", url: `/campaigns/${created.json().id}` });
    assert.equal(read.statusCode, 200);
    const seeded = await database.db.apiKey.findFirstOrThrow({ where: { source: "env" } });
    assert.equal(seeded.prefix, API_KEY.slice(0, 12));
    assert.notEqual(seeded.lastUsedAt, null, "use is recorded");
  });

  test("a key made by `keys create` works until it is revoked", async () => {
    const { key, id } = await createApiKey(database.db, { name: "cli" });
    const ok = await server.inject({
      method: "POST",
      url: "/campaigns",
      headers: bearer(key),
      payload: validBody,
    });
    assert.equal(ok.statusCode, 201, ok.body);

    const revoked = await createApiKey(database.db, { name: "to revoke" });
    assert.equal(await revokeApiKey(database.db, revoked.id), true);
    const refused = await server.inject({
      method: "POST",
      url: "/campaigns",
      headers: bearer(revoked.key),
      payload: validBody,
    });
    assert.equal(refused.statusCode, 401);
    assert.match(refused.json().message, /revoked/);
    assert.ok(id);
  });

  test("a key dropped from API_KEYS stops working, though Postgres still lists it", async () => {
    const other = await build({ API_KEYS: `nasvae_other_${randomBytes(12).toString("hex")}` });
    const response = await other.inject({
      method: "POST",
      url: "/campaigns",
      headers: bearer(API_KEY),
      payload: validBody,
    });
    assert.equal(response.statusCode, 401);
  });

  test("the dashboard needs a key (Basic for browsers, or Bearer), and says so with a Basic challenge", async () => {
    for (const url of ["/admin/queues", "/admin/queues/api/queues"]) {
      const denied = await server.inject({ method: "GET", url });
      assert.equal(denied.statusCode, 401, url);
      assert.match(denied.headers["www-authenticate"] as string, /^Basic realm="nasvae dashboard"/);
      const wrong = await server.inject({
        method: "GET",
        url,
        headers: basic("wrong-key-0123456789"),
      });
      assert.equal(wrong.statusCode, 401, url);
    }
    const page = await server.inject({
      method: "GET",
      url: "/admin/queues",
      headers: basic(API_KEY),
    });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers["content-type"] as string, /html/);
    const api = await server.inject({
      method: "GET",
      url: "/admin/queues/api/queues",
      headers: bearer(API_KEY),
    });
    assert.equal(api.statusCode, 200, api.body);
    assert.ok(api.json().queues.every((q: { readOnlyMode: boolean }) => !q.readOnlyMode));
  });

  test("DASHBOARD_READ_ONLY serves the dashboard without its actions", async () => {
    const readOnly = await build({ DASHBOARD_READ_ONLY: true });
    const api = await readOnly.inject({
      method: "GET",
      url: "/admin/queues/api/queues",
      headers: bearer(API_KEY),
    });
    assert.equal(api.statusCode, 200, api.body);
    assert.equal(api.json().queues.length, 3);
    assert.ok(api.json().queues.every((q: { readOnlyMode: boolean }) => q.readOnlyMode));
  });

  test("READ_ACCESS=key closes reads too, but never the health probe", async () => {
    const closed = await build({ READ_ACCESS: "key" });
    assert.equal((await closed.inject({ method: "GET", url: "/campaigns" })).statusCode, 401);
    const withKey = await closed.inject({
      method: "GET",
      url: "/campaigns",
      headers: bearer(API_KEY),
    });
    assert.equal(withKey.statusCode, 200);
    assert.equal((await closed.inject({ method: "GET", url: "/healthz" })).statusCode, 200);
  });

  test("READ_ACCESS=key still serves the pages and their scripts, which ask for a key", async () => {
    const closed = await build({ READ_ACCESS: "key" });
    const id = "6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab";
    for (const url of [
      "/ui/campaigns",
      `/ui/campaigns/${id}`,
      `/ui/architectures/${id}`,
      "/ui/assets/pages.js",
      "/ui/assets/style.css",
    ]) {
      assert.equal((await closed.inject({ method: "GET", url })).statusCode, 200, url);
    }
    assert.equal((await closed.inject({ method: "GET", url: "/" })).statusCode, 302);
    // The data they draw is not: the campaign behind the page, an unknown asset, the API.
    for (const url of [`/campaigns/${id}`, `/architectures/${id}`, "/docs/json"]) {
      assert.equal((await closed.inject({ method: "GET", url })).statusCode, 401, url);
    }
    assert.equal(
      (await closed.inject({ method: "GET", url: "/ui/assets/missing.js" })).statusCode,
      404,
    );
  });

  test("a key shorter than 16 characters in API_KEYS stops the API at start, naming it", async () => {
    await assert.rejects(
      buildServer({
        DATABASE_URL: database.url,
        REDIS_URL: redis.redisUrl,
        QUEUE_PREFIX: redis.prefix,
        MAX_BUDGET: 500,
        API_KEYS: `${API_KEY},short`,
        LOG_LEVEL: "silent",
      }),
      /API_KEYS: key 1 is shorter than 16 characters/,
    );
  });

  test("rate limits answer 429 with Retry-After, per key; the health probe is never limited", async () => {
    const limited = await build({
      RATE_LIMIT_PER_MINUTE: 3,
      QUEUE_PREFIX: `${redis.prefix}-limited`,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await limited.inject({ method: "GET", url: "/campaigns" })).statusCode);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    const refused = await limited.inject({ method: "GET", url: "/campaigns" });
    assert.ok(Number(refused.headers["retry-after"]) > 0);
    assert.match(refused.json().message, /rate limit of 3 requests per minute/);
    // Another client (here: a key) has its own allowance.
    const keyed = await limited.inject({
      method: "GET",
      url: "/campaigns",
      headers: bearer(API_KEY),
    });
    assert.equal(keyed.statusCode, 200);
    for (let i = 0; i < 5; i++) {
      assert.equal((await limited.inject({ method: "GET", url: "/healthz" })).statusCode, 200);
    }
    await deleteKeys(`${redis.prefix}-limited:*`);
  });

  test("CORS is closed by default and opens only to configured origins", async () => {
    const preflight = {
      method: "OPTIONS" as const,
      url: "/campaigns",
      headers: {
        origin: "https://elsewhere.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      },
    };
    const closed = await server.inject(preflight);
    assert.equal(closed.headers["access-control-allow-origin"], undefined);
    const simple = await server.inject({
      method: "GET",
      url: "/campaigns",
      headers: { origin: "https://elsewhere.example" },
    });
    assert.equal(simple.headers["access-control-allow-origin"], undefined);

    const open = await build({ CORS_ORIGINS: "https://dashboard.example" });
    const allowed = await open.inject({
      ...preflight,
      headers: { ...preflight.headers, origin: "https://dashboard.example" },
    });
    assert.equal(allowed.headers["access-control-allow-origin"], "https://dashboard.example");
    const other = await open.inject(preflight);
    assert.equal(other.headers["access-control-allow-origin"], undefined);
  });

  const hostileBodies: [string, { payload: string | Buffer; contentType?: string }][] = [
    ["truncated JSON", { payload: '{"name": "x", ' }],
    ["empty body", { payload: "" }],
    ["null", { payload: "null" }],
    ["a string", { payload: '"campaign"' }],
    ["an array", { payload: "[]" }],
    ["deep nesting", { payload: `${"[".repeat(5000)}${"]".repeat(5000)}` }],
    [
      "__proto__ pollution",
      { payload: `{"__proto__": {"admin": true}, ${JSON.stringify(validBody).slice(1)}` },
    ],
    ["constructor pollution", { payload: '{"constructor": {"prototype": {"x": 1}}}' }],
    [
      "numbers as strings",
      { payload: JSON.stringify({ ...validBody, budget: { evaluations: "10" } }) },
    ],
    ["huge number", { payload: JSON.stringify({ ...validBody, budget: { evaluations: 1e308 } }) }],
    ["negative budget", { payload: JSON.stringify({ ...validBody, budget: { evaluations: -1 } }) }],
    ["overlong name", { payload: JSON.stringify({ ...validBody, name: "x".repeat(10_000) }) }],
    ["invalid UTF-8", { payload: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }],
    ["body over 1 MiB", { payload: JSON.stringify({ ...validBody, name: "x".repeat(2_000_000) }) }],
    ["text/plain", { payload: "budget=10", contentType: "text/plain" }],
    ["form encoded", { payload: "budget=10", contentType: "application/x-www-form-urlencoded" }],
  ];
  for (const [label, { payload, contentType }] of hostileBodies) {
    test(`hostile body, answered 4xx and never 5xx, nothing written: ${label}`, async () => {
      const before = await campaignCount();
      const response = await server.inject({
        method: "POST",
        url: "/campaigns",
        headers: { ...bearer(API_KEY), "content-type": contentType ?? "application/json" },
        payload,
      });
      assert.ok(
        response.statusCode >= 400 && response.statusCode < 500,
        `${label}: ${response.statusCode} ${response.body.slice(0, 200)}`,
      );
      assert.equal(typeof response.json().message, "string");
      assert.equal(await campaignCount(), before);
      assert.equal(({} as Record<string, unknown>).admin, undefined);
    });
  }

  test("an oversized body is a 413 that says so", async () => {
    const response = await server.inject({
      method: "POST",
      url: "/campaigns",
      headers: { ...bearer(API_KEY), "content-type": "application/json" },
      payload: JSON.stringify({ ...validBody, name: "x".repeat(2_000_000) }),
    });
    assert.equal(response.statusCode, 413);
    assert.equal(response.json().error, "Payload Too Large");
  });

  test("SQL-injection-shaped input is stored and returned as plain data", async () => {
    const name = `x'); DROP TABLE campaigns; -- "; SELECT pg_sleep(10); \\' OR '1'='1`;
    const created = await server.inject({
      method: "POST",
      url: "/campaigns",
      headers: bearer(API_KEY),
      payload: { ...validBody, name },
    });
    assert.equal(created.statusCode, 201, created.body);
    const row = await database.db.campaign.findUniqueOrThrow({ where: { id: created.json().id } });
    assert.equal(row.name, name);
    const fetched = await server.inject({ method: "GET", url: `/campaigns/${row.id}` });
    assert.equal(fetched.json().name, name);
    for (const url of [
      `/campaigns/${encodeURIComponent("' OR 1=1 --")}`,
      `/campaigns/${row.id}/evaluations?sort=${encodeURIComponent("accuracy; DROP TABLE trials")}`,
      `/campaigns?status=${encodeURIComponent("running' OR '1'='1")}`,
      `/campaigns?limit=${encodeURIComponent("1; DELETE FROM campaigns")}`,
    ]) {
      const response = await server.inject({ method: "GET", url });
      assert.ok(
        response.statusCode === 400 || response.statusCode === 404,
        `${url}: ${response.statusCode}`,
      );
    }
    assert.ok((await campaignCount()) >= 1, "the table is still there");
  });

  async function deleteKeys(pattern: string): Promise<void> {
    const keys = await redis.connection.keys(pattern);
    if (keys.length > 0) await redis.connection.del(...keys);
  }
});
