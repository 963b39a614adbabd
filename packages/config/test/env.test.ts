import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError, envSchema, parseEnv } from "../src/index.ts";

const schema = envSchema("DATABASE_URL", "PORT", "LOG_LEVEL", "WORKER_NAME");

describe("parseEnv", () => {
  test("fills defaults and converts numbers", () => {
    const env = parseEnv(schema, { PORT: "8080" });
    assert.equal(env.PORT, 8080);
    assert.equal(env.LOG_LEVEL, "info");
    assert.equal(env.DATABASE_URL, "postgresql://postgres@127.0.0.1:5432/nasvae");
    assert.equal(env.WORKER_NAME, undefined);
  });

  test("DATASETS_DIR: ./datasets under the working directory unless set", () => {
    const datasets = envSchema("DATASETS_DIR");
    assert.equal(parseEnv(datasets, {}).DATASETS_DIR, "./datasets");
    assert.equal(
      parseEnv(datasets, { DATASETS_DIR: "/data/datasets" }).DATASETS_DIR,
      "/data/datasets",
    );
  });

  test("empty values count as unset", () => {
    assert.equal(parseEnv(schema, { PORT: "" }).PORT, 3000);
  });

  test("a bad value fails with a message naming every bad variable", () => {
    assert.throws(
      () => parseEnv(schema, { PORT: "eighty", DATABASE_URL: "mysql://x", LOG_LEVEL: "loud" }),
      (error: Error) =>
        error instanceof ConfigError &&
        /PORT="eighty"/.test(error.message) &&
        /DATABASE_URL="mysql:\/\/x"/.test(error.message) &&
        /LOG_LEVEL="loud"/.test(error.message),
    );
  });
});
