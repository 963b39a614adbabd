import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { canonicalHash, canonicalString, parseArchString } from "../src/index.ts";
import { readNb201Rows } from "./nb201-table.ts";

/** Map from a key to the sorted list of row indices having it, as a comparable set of groups. */
function partition(keys: readonly string[]): string[] {
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  return [...groups.values()].map((g) => g.join(",")).sort();
}

describe("canonical form", () => {
  const rows = readNb201Rows();

  test("reproduces the table's unique_str (NATS-Bench get_unique_str) on every row", () => {
    for (const row of rows) {
      assert.equal(canonicalString(parseArchString(row.arch)), row.uniqueStr, `row ${row.index}`);
    }
  });

  test("canonicalHash partitions the rows exactly like unique_str (6,466 classes)", () => {
    const byHash = partition(rows.map((r) => canonicalHash(parseArchString(r.arch))));
    const byUnique = partition(rows.map((r) => r.uniqueStr));
    assert.equal(byUnique.length, 6466);
    assert.equal(byHash.length, 6466);
    assert.deepEqual(byHash, byUnique);
  });

  test("hash is sha256 hex", () => {
    const cell = parseArchString(rows[0]?.arch ?? "");
    assert.match(canonicalHash(cell), /^[0-9a-f]{64}$/);
  });

  test("known classes: skip == pass-through, none kills, edge order inside a node is irrelevant", () => {
    const c = (s: string) => canonicalString(parseArchString(s));
    assert.equal(
      c("|avg_pool_3x3~0|+|skip_connect~0|none~1|+|none~0|none~1|skip_connect~2|"),
      "#+#+#+0",
    );
    // Only 0→3 reaches the output, so whatever feeds nodes 1 and 2 is irrelevant.
    assert.equal(
      c("|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|nor_conv_3x3~0|none~1|none~2|"),
      c("|none~0|+|skip_connect~0|none~1|+|nor_conv_3x3~0|none~1|none~2|"),
    );
    // Swapping the two inputs of node 2 (0→2 vs 1→2 when node 1 = skip of node 0) is the same.
    assert.equal(
      c("|skip_connect~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|none~0|none~1|skip_connect~2|"),
      c("|skip_connect~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|none~0|none~1|skip_connect~2|"),
    );
  });

  test("NATS-Bench quirk kept: a node fed only by none edges is zero only when it has one term", () => {
    const c = (s: string) => canonicalString(parseArchString(s));
    assert.equal(c("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"), "#+#+#");
    assert.equal(
      c("|none~0|+|none~0|none~1|+|none~0|none~1|nor_conv_3x3~2|"),
      "#+#+(#+#)@nor_conv_3x3",
    );
  });
});
