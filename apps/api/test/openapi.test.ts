import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import SwaggerParser from "@apidevtools/swagger-parser";
import type { FastifyInstance } from "fastify";
import openapiTS, { astToString } from "openapi-typescript";
import { startTestApi, type TestApi } from "./support.ts";

/** Every JSON endpoint a user calls; the document must describe each. */
const endpoints = [
  ["post", "/campaigns", "createCampaign"],
  ["get", "/campaigns", "listCampaigns"],
  ["get", "/campaigns/{id}", "getCampaign"],
  ["get", "/campaigns/{id}/evaluations", "listEvaluations"],
  ["get", "/campaigns/{id}/pareto-front", "getParetoFront"],
  ["get", "/campaigns/{id}/rounds", "listRounds"],
  ["post", "/campaigns/{id}/pause", "pauseCampaign"],
  ["post", "/campaigns/{id}/resume", "resumeCampaign"],
  ["post", "/campaigns/{id}/cancel", "cancelCampaign"],
  ["get", "/architectures/{id}", "getArchitecture"],
  ["get", "/datasets", "listDatasets"],
  ["get", "/search-spaces", "listSearchSpaces"],
  ["get", "/livez", "getLiveness"],
  ["get", "/readyz", "getReadiness"],
] as const;

interface Operation {
  operationId?: string;
  summary?: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  tags?: string[];
  security?: unknown[];
  responses: Record<string, { headers?: Record<string, unknown> }>;
}

const root = fileURLToPath(new URL("../../../", import.meta.url));
const usageScript = fileURLToPath(new URL("./generated-client/usage.ts", import.meta.url));

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
    for (const [method, path, operationId] of endpoints) {
      const operation = paths[path]?.[method];
      assert.ok(operation, `${method.toUpperCase()} ${path} is documented`);
      assert.equal(operation.operationId, operationId);
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

  test("the document is one that client generators can use", async () => {
    const document = (await server.inject({ method: "GET", url: "/docs/json" })).json();
    const paths = document.paths as Record<string, Record<string, Operation>>;
    const schemas = document.components.schemas;
    // Unions as oneOf with a discriminator, not allOf + if/else (which generators ignore).
    for (const union of ["EvaluatorSpec", "StrategySpec"]) {
      assert.equal(schemas[union].discriminator.propertyName, "kind", union);
      assert.ok(schemas[union].oneOf.length >= 3, union);
    }
    assert.deepEqual(Object.keys(schemas.EvaluatorSpec.discriminator.mapping), [
      "nas-bench-201",
      "enas-6-table",
      "train",
    ]);
    assert.doesNotMatch(JSON.stringify(document), /"if":/);
    // Shared schemas are named once.
    assert.deepEqual(paths["/campaigns/{id}"]?.get?.responses["200"], {
      description: "success",
      content: { "application/json": { schema: { $ref: "#/components/schemas/Campaign" } } },
      headers: {
        "X-RateLimit-Limit": { $ref: "#/components/headers/X-RateLimit-Limit" },
        "X-RateLimit-Remaining": { $ref: "#/components/headers/X-RateLimit-Remaining" },
        "X-RateLimit-Reset": { $ref: "#/components/headers/X-RateLimit-Reset" },
      },
    });
    // Parameters the server fills in are optional.
    const optional = (path: string) =>
      Object.fromEntries(
        (paths[path]?.get?.parameters ?? []).map((p) => [p.name, p.required ?? false]),
      );
    assert.deepEqual(optional("/campaigns"), { status: false, limit: false, offset: false });
    assert.deepEqual(optional("/campaigns/{id}/evaluations"), {
      id: true,
      sort: false,
      limit: false,
      offset: false,
    });
    assert.deepEqual(optional("/campaigns/{id}/rounds"), { id: true, fromRound: false });
    // Reads: a key is optional (READ_ACCESS=public), a wrong one is a 401; all are rate limited.
    const read = paths["/campaigns"]?.get;
    assert.deepEqual(read?.security, [{}, { apiKey: [] }]);
    assert.ok(read?.responses["401"] && read.responses["429"]?.headers?.["Retry-After"]);
    assert.ok(paths["/campaigns"]?.post?.responses["201"]?.headers?.Location);
    assert.ok(paths["/campaigns"]?.post?.responses["415"]);
    assert.deepEqual(paths["/livez"]?.get?.security, []);
    assert.deepEqual(document.servers, [
      { url: "/", description: "the server that serves this document" },
    ]);
  });

  test("the document declares the read access the server applies, and its 415", async () => {
    const key = "nasvae_openapi_test_key_0123456789";
    const keyed = await startTestApi("api_openapi_keyed", { API_KEYS: key, READ_ACCESS: "key" });
    try {
      const authorization = `Bearer ${key}`;
      const docs = await keyed.server.inject({ url: "/docs/json", headers: { authorization } });
      assert.deepEqual(docs.json().paths["/campaigns"].get.security, [{ apiKey: [] }]);
      const read = await keyed.server.inject({ method: "GET", url: "/campaigns" });
      assert.equal(read.statusCode, 401);
      const text = await keyed.server.inject({
        method: "POST",
        url: "/campaigns",
        headers: { authorization, "content-type": "application/xml" },
        payload: "<campaign/>",
      });
      assert.equal(text.statusCode, 415);
    } finally {
      await keyed.close();
    }
  });

  test("a client generated from /docs/json typechecks a script calling every route", async () => {
    const document = (await server.inject({ method: "GET", url: "/docs/json" })).json();
    const usage = await readFile(usageScript, "utf8");
    for (const [path, operations] of Object.entries(document.paths as Record<string, object>)) {
      for (const method of Object.keys(operations)) {
        const call = `client.${method.toUpperCase()}("${path}"`;
        assert.ok(usage.includes(call), `generated-client/usage.ts calls ${call})`);
      }
    }
    const dir = await mkdtemp(join(tmpdir(), "nasvae-openapi-client-"));
    try {
      await writeFile(join(dir, "schema.ts"), astToString(await openapiTS(document)));
      await copyFile(usageScript, join(dir, "usage.ts"));
      // openapi-fetch and TypeScript come from the repository's node_modules.
      await symlink(join(root, "node_modules"), join(dir, "node_modules"), "dir");
      const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
      // biome-ignore format: one flag and its value a line
      const args = [
        "--strict", "--noEmit", "--skipLibCheck",
        "--target", "es2022", "--lib", "es2022,dom",
        "--module", "esnext", "--moduleResolution", "bundler",
        "--allowImportingTsExtensions", "--types", "node",
        "usage.ts",
      ];
      const result = spawnSync(process.execPath, [tsc, ...args], { cwd: dir, encoding: "utf8" });
      assert.equal(result.status, 0, `tsc --strict failed:\n${result.stdout}${result.stderr}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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
