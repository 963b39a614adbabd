import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import SwaggerParser from "@apidevtools/swagger-parser";
import type { FastifyInstance } from "fastify";
import { startTestApi, type TestApi } from "./support.ts";

/** Every JSON endpoint a user calls; the document must describe each. */
const endpoints = [
  ["post", "/campaigns"],
  ["get", "/campaigns"],
  ["get", "/campaigns/{id}"],
  ["get", "/campaigns/{id}/evaluations"],
  ["get", "/campaigns/{id}/pareto-front"],
  ["get", "/campaigns/{id}/rounds"],
  ["get", "/architectures/{id}"],
  ["get", "/datasets"],
  ["get", "/search-spaces"],
  ["get", "/livez"],
  ["get", "/readyz"],
] as const;

interface Operation {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  responses: Record<string, unknown>;
}

describe("OpenAPI document and Swagger UI", () => {
  let server: FastifyInstance;
  let api: TestApi;

  before(async () => {
    api = await startTestApi("api_openapi");
    ({ server } = api);
  });
  after(async () => {
    await api.close();
  });

  test("/docs/json is a valid OpenAPI 3.1 document describing every endpoint", async () => {
    const response = await server.inject({ method: "GET", url: "/docs/json" });
    assert.equal(response.statusCode, 200);
    const document = response.json();
    assert.equal(document.openapi, "3.1.0");
    // Throws, naming the problem, if the document does not follow the specification.
    await SwaggerParser.validate(structuredClone(document));
    const paths = document.paths as Record<string, Record<string, Operation>>;
    for (const [method, path] of endpoints) {
      const operation = paths[path]?.[method];
      assert.ok(operation, `${method.toUpperCase()} ${path} is documented`);
      assert.ok(operation.summary && operation.summary.length > 10, `${path} has a summary`);
      assert.ok(operation.tags && operation.tags.length > 0, `${path} has a tag`);
      assert.ok(
        Object.keys(operation.responses).some((code) => code.startsWith("2")),
        `${path} documents its success response`,
      );
    }
    assert.deepEqual(paths["/campaigns"]?.post?.security, [{ apiKey: [] }]);
    assert.equal(document.components.securitySchemes.apiKey.scheme, "bearer");
    // Pages, the dashboard and the docs are not part of the JSON API.
    assert.ok(!Object.keys(paths).some((path) => /^\/(ui|admin|docs)/.test(path)));
  });

  test("Swagger UI is served at /docs without a key, from local files", async () => {
    const page = await server.inject({ method: "GET", url: "/docs/" });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /swagger-ui/i);
    assert.doesNotMatch(page.body, /https?:\/\/(?!127\.0\.0\.1|localhost)[^"']*\.js/);
    const yaml = await server.inject({ method: "GET", url: "/docs/yaml" });
    assert.equal(yaml.statusCode, 200);
    assert.match(yaml.body, /^openapi: 3\.1\.0/m);
  });
});
