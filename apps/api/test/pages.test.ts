// The page routes in process: what they serve and with which headers. The pages' behaviour in a
// browser is tested in test/ui/pages.test.ts.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { startTestApi, type TestApi } from "./support.ts";

describe("page routes", () => {
  let server: FastifyInstance;
  let api: TestApi;

  before(async () => {
    api = await startTestApi("api_pages", {
      API_KEYS: `nasvae_test_${randomBytes(16).toString("hex")}`,
    });
    ({ server } = api);
  });
  after(async () => {
    await api.close();
  });

  test("GET / redirects to the campaigns page", async () => {
    const response = await server.inject({ method: "GET", url: "/" });
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, "/ui/campaigns");
  });

  test("the pages are HTML, public, with a strict content security policy", async () => {
    for (const [url, page] of [
      ["/ui/campaigns", "campaigns"],
      ["/ui/campaigns/6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab", "campaign"],
      ["/ui/architectures/6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab", "architecture"],
    ] as const) {
      const response = await server.inject({ method: "GET", url });
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.headers["content-type"], "text/html; charset=utf-8");
      assert.match(String(response.headers["content-security-policy"]), /script-src 'self'/);
      assert.equal(response.headers["x-content-type-options"], "nosniff");
      assert.match(response.body, new RegExp(`data-page="${page}"`));
      assert.match(response.body, /<script type="module" src="\/ui\/assets\/pages\.js">/);
      assert.match(response.body, /<link rel="icon" href="\/ui\/assets\/favicon\.svg"/);
    }
  });

  test("assets are served with their content types; nothing else under ui/ is", async () => {
    const types = {
      "pages.js": "text/javascript; charset=utf-8",
      "plots.js": "text/javascript; charset=utf-8",
      "style.css": "text/css; charset=utf-8",
      "favicon.svg": "image/svg+xml",
    };
    for (const [file, type] of Object.entries(types)) {
      const response = await server.inject({ method: "GET", url: `/ui/assets/${file}` });
      assert.equal(response.statusCode, 200, file);
      assert.equal(response.headers["content-type"], type);
      assert.ok(response.body.length > 100);
    }
    for (const file of [
      "campaign.html",
      "architecture.html",
      "missing.js",
      "..%2Fapp.ts",
      "%2E%2E%2Fui%2Fpages.js",
    ]) {
      const response = await server.inject({ method: "GET", url: `/ui/assets/${file}` });
      assert.equal(response.statusCode, 404, file);
      assert.equal(response.json().error, "Not Found");
    }
  });

  test("the pages are not in the OpenAPI document", async () => {
    const response = await server.inject({ method: "GET", url: "/docs/json" });
    assert.equal(response.statusCode, 200);
    const paths = Object.keys(response.json().paths);
    assert.ok(paths.includes("/campaigns/{id}/rounds"), paths.join(", "));
    assert.ok(!paths.some((path) => path === "/" || path.startsWith("/ui")), paths.join(", "));
  });
});
