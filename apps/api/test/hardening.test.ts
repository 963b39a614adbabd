// Issue 14's findings, each tried as the probe tried it: raw HTTP requests against a listening
// API on real services (PostgreSQL and Redis), with the paths sent as they are.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import { createApiKey } from "@nasvae/db";
import { type Browser, chromium } from "playwright-core";
import { findChromium } from "../../../test/support/chromium.ts";
import { startTestApi, type TestApi } from "./support.ts";

const API_KEY = `nasvae_test_${randomBytes(16).toString("hex")}`;

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One HTTP/1.1 request with its request-target sent byte for byte (no normalisation). */
function rawRequest(
  port: number,
  target: string,
  { method = "GET", headers = {} as Record<string, string>, body = "" } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("connect", () => {
      const lines = [`${method} ${target} HTTP/1.1`, "Host: 127.0.0.1", "Connection: close"];
      for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
      if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
      socket.write(`${lines.join("\r\n")}\r\n\r\n${body}`);
    });
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const [head = "", ...rest] = text.split("\r\n\r\n");
      const [statusLine = "", ...headerLines] = head.split("\r\n");
      const parsed: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(":");
        parsed[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({
        status: Number(statusLine.split(" ")[1]),
        headers: parsed,
        body: rest.join("\r\n\r\n"),
      });
    });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer in ${ms} ms (waiting on Postgres?)`)), ms),
    ),
  ]);
}

describe("issue 14: the dashboard behind its key, whatever the spelling of the path", () => {
  let api: TestApi;
  let port: number;

  before(async () => {
    api = await startTestApi("api_hardening_paths", { API_KEYS: API_KEY });
    await api.server.listen({ port: 0, host: "127.0.0.1" });
    port = (api.server.server.address() as net.AddressInfo).port;
  });
  after(async () => {
    await api?.close();
  });

  const variants = [
    "/admin/queues/api/queues",
    "/admin/%71ueues/api/queues",
    "/%61dmin/queues/api/queues",
    "/%61%64%6d%69%6e/%71%75%65%75%65%73/api/queues",
    "/admin/queues/api/redis/stats",
    "/%61dmin/queues/api/redis/stats",
    "/admin/%71ueues/api/redis/stats",
    "/admin/queues/api/queues?x=/campaigns",
    "http://127.0.0.1/admin/queues/api/queues",
    "http://127.0.0.1/%61dmin/queues/api/redis/stats",
    "/admin/queues",
    "/%61dmin/queues",
  ];
  for (const target of variants) {
    test(`GET ${target} without a key is 401 with the dashboard's challenge`, async () => {
      const response = await rawRequest(port, target);
      assert.equal(response.status, 401, response.body.slice(0, 200));
      assert.match(response.headers["www-authenticate"] ?? "", /^Basic realm="nasvae dashboard"/);
      assert.doesNotMatch(response.body, /"queues"|redis_version|stacktrace/);
    });
  }

  test("the same variants answer 200 with the key: the check is not a blanket 401", async () => {
    for (const target of [
      "/%61dmin/queues/api/queues",
      "http://127.0.0.1/admin/queues/api/queues",
    ]) {
      const response = await rawRequest(port, target, {
        headers: { authorization: `Bearer ${API_KEY}` },
      });
      assert.equal(response.status, 200, `${target}: ${response.body.slice(0, 200)}`);
      assert.match(response.body, /"queues"/);
    }
  });
});

describe("issue 14: wrong keys are rate limited", () => {
  let api: TestApi;
  let port: number;

  before(async () => {
    api = await startTestApi("api_hardening_limit", {
      API_KEYS: API_KEY,
      RATE_LIMIT_PER_MINUTE: 5,
    });
    await api.server.listen({ port: 0, host: "127.0.0.1" });
    port = (api.server.server.address() as net.AddressInfo).port;
  });
  after(async () => {
    await api?.close();
  });

  test("past the limit a wrong key gets 429 with Retry-After, not another 401", async () => {
    const statuses: number[] = [];
    let last: RawResponse | undefined;
    for (let i = 0; i < 9; i++) {
      last = await rawRequest(port, "/campaigns", {
        method: "POST",
        headers: {
          authorization: `Bearer nasvae_${randomBytes(16).toString("hex")}`,
          "content-type": "application/json",
        },
        body: "{}",
      });
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429, 429]);
    assert.ok(Number(last?.headers["retry-after"]) > 0, JSON.stringify(last?.headers));
    assert.match(last?.body ?? "", /rate limit of 5 requests per minute/);
    // Reads with a wrong key count the same way; and from now on they cost no Postgres lookup:
    // with api_keys locked by this test, a lookup would wait, a refusal answers at once.
    await api.database.db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(
          `LOCK TABLE "${api.database.schema}"."api_keys" IN ACCESS EXCLUSIVE MODE`,
        );
        const read = await withTimeout(
          rawRequest(port, "/campaigns", {
            headers: { authorization: `Bearer nasvae_${randomBytes(16).toString("hex")}` },
          }),
          3000,
        );
        assert.equal(read.status, 429);
        assert.ok(Number(read.headers["retry-after"]) > 0);
      },
      { timeout: 10_000 },
    );
  });

  test("a valid key keeps its own allowance while its address is refused for wrong keys", async () => {
    const response = await rawRequest(port, "/campaigns", {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    assert.equal(response.status, 200, response.body.slice(0, 200));
  });
});

describe("issue 14: per-key caps on queued work", () => {
  let api: TestApi;
  const OTHER_KEY = `nasvae_other_${randomBytes(16).toString("hex")}`;
  const campaign = (evaluations: number) => ({
    name: "cap test",
    searchSpace: "nas-bench-201",
    evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
    strategy: { kind: "random" },
    budget: { evaluations },
  });
  const post = (key: string, evaluations: number) =>
    api.server.inject({
      method: "POST",
      url: "/campaigns",
      headers: { authorization: `Bearer ${key}` },
      payload: campaign(evaluations),
    });

  before(async () => {
    api = await startTestApi("api_hardening_caps", {
      API_KEYS: `${API_KEY},${OTHER_KEY}`,
      MAX_ACTIVE_CAMPAIGNS_PER_KEY: 3,
      MAX_PENDING_EVALUATIONS_PER_KEY: 50,
    });
  });
  after(async () => {
    await api?.close();
  });

  test("past MAX_PENDING_EVALUATIONS_PER_KEY: 429 naming the limit and the count; nothing written", async () => {
    assert.equal((await post(API_KEY, 20)).statusCode, 201);
    assert.equal((await post(API_KEY, 20)).statusCode, 201);
    const refused = await post(API_KEY, 20);
    assert.equal(refused.statusCode, 429, refused.body);
    const body = refused.json();
    assert.equal(body.limit, "MAX_PENDING_EVALUATIONS_PER_KEY");
    assert.equal(body.max, 50);
    assert.equal(body.current, 40);
    assert.match(body.message, /MAX_PENDING_EVALUATIONS_PER_KEY is 50: .*40 evaluations pending/);
    assert.equal(await api.database.db.campaign.count(), 2);
    assert.equal(await api.redis.queues.byName.campaigns.count(), 2);
    // What still fits is accepted.
    assert.equal((await post(API_KEY, 10)).statusCode, 201);
  });

  test("past MAX_ACTIVE_CAMPAIGNS_PER_KEY: 429; another key has its own allowance", async () => {
    const refused = await post(API_KEY, 1);
    assert.equal(refused.statusCode, 429, refused.body);
    assert.equal(refused.json().limit, "MAX_ACTIVE_CAMPAIGNS_PER_KEY");
    assert.equal(refused.json().current, 3);
    assert.match(refused.json().message, /MAX_ACTIVE_CAMPAIGNS_PER_KEY is 3/);
    assert.equal((await post(OTHER_KEY, 1)).statusCode, 201);
  });

  test("an ended campaign frees its place", async () => {
    const [first] = await api.database.db.campaign.findMany({
      where: { status: "queued" },
      orderBy: { createdAt: "asc" },
      take: 1,
    });
    const cancel = await api.server.inject({
      method: "POST",
      url: `/campaigns/${first?.id}/cancel`,
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    assert.equal(cancel.statusCode, 200, cancel.body);
    assert.equal((await post(API_KEY, 20)).statusCode, 201);
  });

  test("requests racing each other cannot all pass the same check", async () => {
    const key = `nasvae_race_${randomBytes(16).toString("hex")}`;
    const racing = await startTestApi("api_hardening_race", {
      API_KEYS: key,
      MAX_ACTIVE_CAMPAIGNS_PER_KEY: 2,
    });
    try {
      const answers = await Promise.all(
        Array.from({ length: 8 }, () =>
          racing.server.inject({
            method: "POST",
            url: "/campaigns",
            headers: { authorization: `Bearer ${key}` },
            payload: campaign(5),
          }),
        ),
      );
      const statuses = answers.map((a) => a.statusCode).sort();
      assert.deepEqual(statuses, [201, 201, 429, 429, 429, 429, 429, 429]);
      assert.equal(await racing.database.db.campaign.count(), 2);
    } finally {
      await racing.close();
    }
  });
});

describe("issue 14: hostile names and numbers are 400s, never 500s", () => {
  let api: TestApi;
  let id: string;
  const headers = { authorization: `Bearer ${API_KEY}` };
  const body = {
    name: "numbers",
    searchSpace: "nas-bench-201",
    evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
    strategy: { kind: "random" },
    budget: { evaluations: 10 },
  };

  before(async () => {
    api = await startTestApi("api_hardening_input", { API_KEYS: API_KEY });
    const created = await api.server.inject({
      method: "POST",
      url: "/campaigns",
      headers,
      payload: body,
    });
    id = created.json().id;
  });
  after(async () => {
    await api?.close();
  });

  test("a NUL in the name (or any string) is a 400 naming the field; nothing written", async () => {
    for (const payload of [
      { ...body, name: "a\u0000b" },
      { ...body, evaluator: { kind: "nas-bench-201", dataset: "cifar\u000010" } },
    ]) {
      const response = await api.server.inject({
        method: "POST",
        url: "/campaigns",
        headers,
        payload,
      });
      assert.equal(response.statusCode, 400, response.body);
      assert.match(response.json().message, /body\.(name|evaluator\.dataset)/);
    }
    assert.equal(await api.database.db.campaign.count(), 1);
  });

  const queries = [
    "/campaigns?offset=1e19",
    "/campaigns?offset=9007199254740992",
    "/campaigns?offset=2147483648",
    "/campaigns?limit=1.5",
    "/campaigns?limit=0x10",
    "/campaigns?limit=%2010",
    "/campaigns?limit=",
    "/campaigns?offset=-1",
    "/campaigns?limit=1&limit=2",
    "/campaigns/ID/evaluations?offset=1e19",
    "/campaigns/ID/evaluations?limit=0x10",
    "/campaigns/ID/rounds?fromRound=2147483648",
    "/campaigns/ID/rounds?fromRound=1.0",
  ];
  for (const query of queries) {
    test(`GET ${query} is a 400 naming the parameter`, async () => {
      const response = await api.server.inject({ method: "GET", url: query.replace("ID", id) });
      assert.equal(response.statusCode, 400, response.body);
      assert.match(response.json().message, /querystring\.(limit|offset|fromRound)/);
    });
  }

  test("integers within the bounds still work", async () => {
    for (const query of [
      "/campaigns?limit=10&offset=0",
      "/campaigns?offset=2147483647",
      `/campaigns/${id}/rounds?fromRound=2147483647`,
      `/campaigns/${id}/evaluations?limit=1000`,
    ]) {
      const response = await api.server.inject({ method: "GET", url: query });
      assert.equal(response.statusCode, 200, `${query}: ${response.body}`);
    }
  });
});

describe("issue 14: public error fields show no host paths", () => {
  let api: TestApi;
  const root = new URL("../../../", import.meta.url).pathname;

  before(async () => {
    api = await startTestApi("api_hardening_paths_err", { API_KEYS: API_KEY });
  });
  after(async () => {
    await api?.close();
  });

  test("a campaign's error: project paths made relative, other absolute paths cut to their name", async () => {
    const created = await api.server.inject({
      method: "POST",
      url: "/campaigns",
      headers: { authorization: `Bearer ${API_KEY}` },
      payload: {
        searchSpace: "nas-bench-201",
        evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
        strategy: { kind: "random" },
        budget: { evaluations: 10 },
      },
    });
    const id = created.json().id as string;
    const stored =
      `missing files: /srv/secret/datasets/cifar-10-batches-bin/data_batch_1.bin, ` +
      `at ${root}packages/evaluators/src/table.ts:12:5 (file://${root}apps/worker/src/main.ts); ` +
      `see https://example.org/docs/datasets and /home/alice/.cache/x`;
    await api.database.db.campaign.update({
      where: { id },
      data: { status: "failed", error: stored },
    });
    const shown = (await api.server.inject({ method: "GET", url: `/campaigns/${id}` })).json()
      .error as string;
    assert.equal(
      shown,
      "missing files: data_batch_1.bin, at packages/evaluators/src/table.ts:12:5 " +
        "(apps/worker/src/main.ts); see https://example.org/docs/datasets and x",
    );
    assert.ok(!shown.includes(root) && !shown.includes("/srv/") && !shown.includes("/home/"));
    const listed = (await api.server.inject({ method: "GET", url: "/campaigns" })).json();
    assert.equal(listed.items[0].error, shown);
  });
});

describe("issue 14: security headers, and the dashboard and pages still work under them", () => {
  let api: TestApi;
  let base: string;
  let browser: Browser | undefined;

  before(async () => {
    api = await startTestApi("api_hardening_headers", { API_KEYS: API_KEY });
    await api.server.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(api.server.server.address() as net.AddressInfo).port}`;
  });
  after(async () => {
    await browser?.close();
    await api?.close();
  });

  test("JSON answers: nosniff, no framing, a CSP that allows nothing", async () => {
    for (const url of ["/campaigns", "/no-such-route", "/livez"]) {
      const response = await fetch(`${base}${url}`);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff", url);
      assert.equal(response.headers.get("x-frame-options"), "DENY", url);
      const csp = response.headers.get("content-security-policy") ?? "";
      assert.match(csp, /default-src 'none'/, url);
      assert.match(csp, /frame-ancestors 'none'/, url);
    }
  });

  test("the dashboard: a CSP of its own, no outside font, its assets served with real types", async () => {
    const auth = { authorization: `Bearer ${API_KEY}` };
    const page = await fetch(`${base}/admin/queues`, { headers: auth });
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("x-content-type-options"), "nosniff");
    assert.equal(page.headers.get("x-frame-options"), "DENY");
    const csp = page.headers.get("content-security-policy") ?? "";
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /googleapis|https:/);
    const html = await page.text();
    assert.doesNotMatch(html, /fonts\.googleapis\.com/);
    // Under nosniff a script must come with a script type, a stylesheet with text/css.
    const assets = [...html.matchAll(/(?:src|href)="(static\/[^"]+\.(?:js|css))"/g)].map(
      (m) => m[1],
    );
    assert.ok(assets.length >= 2, html);
    for (const asset of assets) {
      const response = await fetch(`${base}/admin/queues/${asset}`, { headers: auth });
      assert.equal(response.status, 200, asset);
      const type = response.headers.get("content-type") ?? "";
      assert.match(type, asset?.endsWith(".js") ? /javascript/ : /text\/css/, asset);
    }
  });

  test("in Chromium: the dashboard lists the queues and the pages load, with no CSP violation", async () => {
    const executablePath = findChromium();
    browser = await chromium.launch({
      executablePath,
      args: ["--headless", "--no-sandbox", "--disable-gpu"],
    });
    const context = await browser.newContext({
      httpCredentials: { username: "me", password: API_KEY },
    });
    const page = await context.newPage();
    const violations: string[] = [];
    const outside: string[] = [];
    page.on("console", (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text()))
        violations.push(message.text());
    });
    page.on("request", (request) => {
      if (!request.url().startsWith(base)) outside.push(request.url());
    });
    await page.goto(`${base}/admin/queues`);
    for (const queue of ["campaigns", "rounds", "evaluations"]) {
      await page.getByText(queue, { exact: false }).first().waitFor({ timeout: 20_000 });
    }
    await page.goto(`${base}/`);
    await page.locator("table, main").first().waitFor({ timeout: 20_000 });
    await page.waitForLoadState("networkidle");
    assert.deepEqual(violations, []);
    assert.deepEqual(outside, []);
  });
});

describe("issue 14: the dashboard's actions need an admin key", () => {
  let api: TestApi;
  const ADMIN_KEY = `nasvae_admin_${randomBytes(16).toString("hex")}`;
  const pause = (key: string | null) =>
    api.server.inject({
      method: "PUT",
      url: "/admin/queues/api/queues/pause",
      headers: key ? { authorization: `Bearer ${key}` } : {},
    });

  before(async () => {
    api = await startTestApi("api_hardening_admin", { API_KEYS: `${API_KEY},admin:${ADMIN_KEY}` });
  });
  after(async () => {
    await api?.close();
  });

  test("a campaign key may look but not act; an admin: entry of API_KEYS may act", async () => {
    const look = await api.server.inject({
      method: "GET",
      url: "/admin/queues/api/queues",
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    assert.equal(look.statusCode, 200);
    const refused = await pause(API_KEY);
    assert.equal(refused.statusCode, 403, refused.body);
    assert.match(refused.json().message, /need an admin key.*keys create --admin/);
    for (const url of [
      "/admin/queues/api/queues/campaigns/clean/completed",
      "/admin/queues/api/queues/campaigns/empty",
      "/admin/queues/api/queues/campaigns/retry/failed",
    ]) {
      const response = await api.server.inject({
        method: "PUT",
        url,
        headers: { authorization: `Bearer ${API_KEY}` },
      });
      assert.equal(response.statusCode, 403, `${url}: ${response.body}`);
    }
    assert.ok(!(await api.redis.queues.byName.campaigns.isPaused()));
    assert.equal((await pause(null)).statusCode, 401);
    const allowed = await pause(ADMIN_KEY);
    assert.equal(allowed.statusCode, 200, allowed.body);
    assert.ok(await api.redis.queues.byName.campaigns.isPaused());
    await api.redis.queues.byName.campaigns.resume();
    // The seeded row records the scope, for `nasvae keys list`.
    const rows = await api.database.db.apiKey.findMany({ orderBy: { name: "asc" } });
    assert.deepEqual(
      rows.map((row) => [row.name, row.admin]),
      [
        ["API_KEYS[0]", false],
        ["API_KEYS[1]", true],
      ],
    );
  });

  test("keys made by `keys create`: only an admin one may act", async () => {
    const plain = await createApiKey(api.database.db, { name: "plain" });
    const admin = await createApiKey(api.database.db, { name: "operator", admin: true });
    assert.equal((await pause(plain.key)).statusCode, 403);
    assert.equal((await pause(admin.key)).statusCode, 200);
    await api.redis.queues.byName.campaigns.resume();
  });
});

describe("rate limits: keys that start alike have allowances of their own", () => {
  let api: TestApi;
  const first = `nasvae_same_${randomBytes(16).toString("hex")}`;
  const second = `nasvae_same_${randomBytes(16).toString("hex")}`;

  before(async () => {
    api = await startTestApi("api_hardening_keyed", {
      API_KEYS: `${first},${second}`,
      RATE_LIMIT_PER_MINUTE: 2,
    });
  });
  after(async () => {
    await api?.close();
  });

  test("the second key is not refused for the first one's requests", async () => {
    const get = (key: string) =>
      api.server.inject({
        method: "GET",
        url: "/campaigns",
        headers: { authorization: `Bearer ${key}` },
      });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(first)).statusCode);
    assert.deepEqual(statuses, [200, 200, 429]);
    assert.equal((await get(second)).statusCode, 200);
  });
});
