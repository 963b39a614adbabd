import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { sha256Hex, TableFileCache } from "../src/table-file-cache.ts";

describe("TableFileCache", () => {
  const dir = mkdtempSync(join(tmpdir(), "nasvae-table-cache-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  function cacheCountingParses(fail = { now: false }) {
    let parses = 0;
    const cache = new TableFileCache((path, bytes) => {
      parses += 1;
      if (fail.now) throw new Error(`bad table ${path}`);
      return { path, text: bytes.toString("utf8"), sha256: sha256Hex(bytes) };
    });
    return { cache, parses: () => parses };
  }

  test("parses a file once per path, however it is spelled", async () => {
    const file = join(dir, "a.csv");
    writeFileSync(file, "x,y\n1,2\n");
    const { cache, parses } = cacheCountingParses();
    const [first, second] = await Promise.all([
      cache.load(file),
      cache.load(join(dir, ".", "a.csv")),
    ]);
    assert.equal(first, second);
    assert.equal(first.text, "x,y\n1,2\n");
    assert.equal(parses(), 1);
  });

  test("sha256 is the file bytes' digest, read without parsing", async () => {
    const file = join(dir, "b.csv");
    writeFileSync(file, "b\n");
    const { cache, parses } = cacheCountingParses();
    assert.equal(await cache.sha256(file), createHash("sha256").update("b\n").digest("hex"));
    assert.equal(parses(), 0);
  });

  test("a failed parse is not cached: the fixed file loads on the next call", async () => {
    const file = join(dir, "c.csv");
    writeFileSync(file, "c\n");
    const fail = { now: true };
    const { cache, parses } = cacheCountingParses(fail);
    await assert.rejects(cache.load(file), /bad table/);
    fail.now = false;
    assert.equal((await cache.load(file)).text, "c\n");
    assert.equal(parses(), 2);
    await assert.rejects(cache.load(join(dir, "missing.csv")), /ENOENT/);
  });
});
