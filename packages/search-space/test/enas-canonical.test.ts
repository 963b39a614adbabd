import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import {
  enasCanonicalHash,
  enasCanonicalString,
  enasSearchSpace,
  parseEnasArchString,
} from "../src/index.ts";
import { readEnas6Rows } from "./enas6-table.ts";

describe("ENAS-6 canonical form", () => {
  test("is the architecture string; the hash is its sha256", () => {
    const spaced = "[[1], [4, 0], [5, 0, 0], [0, 1, 1, 1], [2, 1, 1, 1, 1], [3, 0, 0, 0, 0, 1]]";
    const cell = parseEnasArchString(spaced);
    const expected = "[[1],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]";
    assert.equal(enasCanonicalString(cell), expected);
    assert.equal(enasCanonicalHash(cell), createHash("sha256").update(expected).digest("hex"));
    assert.equal(enasSearchSpace.canonicalHash(cell), enasCanonicalHash(cell));
  });

  test("on the table: distinct strings give distinct hashes, equal strings equal ones", () => {
    const rows = readEnas6Rows();
    const hashOf = new Map<string, string>();
    for (const row of rows) {
      const hash = enasCanonicalHash(parseEnasArchString(row.arch));
      assert.match(hash, /^[0-9a-f]{64}$/);
      const seen = hashOf.get(row.arch);
      if (seen !== undefined) assert.equal(hash, seen, `line ${row.line}`);
      hashOf.set(row.arch, hash);
    }
    // The README: 5 architectures appear twice in the file.
    assert.equal(hashOf.size, rows.length - 5);
    assert.equal(new Set(hashOf.values()).size, hashOf.size);
  });
});
