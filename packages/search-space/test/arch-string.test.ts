import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createCell, formatArchString, parseArchString } from "../src/index.ts";
import { readNb201Rows } from "./nb201-table.ts";

const BEST_CIFAR10 =
  "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";

describe("parseArchString / formatArchString", () => {
  test("parses edges in (0→1),(0→2),(1→2),(0→3),(1→3),(2→3) order", () => {
    assert.deepEqual(parseArchString(BEST_CIFAR10).edges, [
      "nor_conv_3x3",
      "nor_conv_3x3",
      "nor_conv_3x3",
      "skip_connect",
      "nor_conv_3x3",
      "nor_conv_1x1",
    ]);
  });

  test("round trips every table row", () => {
    const rows = readNb201Rows();
    assert.equal(rows.length, 15625);
    for (const row of rows) assert.equal(formatArchString(parseArchString(row.arch)), row.arch);
  });

  const malformed: [string, RegExp][] = [
    ["", /expected 3 node groups/],
    ["|none~0|+|none~0|none~1|", /expected 3 node groups separated by "\+", got 2/],
    ["|none~0|+|none~0|none~1|+|none~0|none~1|none~2|+|none~0|", /got 4/],
    ["none~0|+|none~0|none~1|+|none~0|none~1|none~2|", /node 1 .* must start and end with "\|"/],
    ["|none~0|+|none~0|+|none~0|none~1|none~2|", /node 2 must have 2 incoming edge\(s\), got 1/],
    ["|none~0|+|none~0|none~1|+|none~0|none~1|none~2|none~3|", /node 3 must have 3 .* got 4/],
    ["|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|", /unknown operation "conv" into node 1/],
    [
      "|none|+|none~0|none~1|+|none~0|none~1|none~2|",
      /edge token "none" into node 1 must look like "op~0"/,
    ],
    ["|none~0|+|none~1|none~0|+|none~0|none~1|none~2|", /must come from node 0, got "~1"/],
    ["|none~0|+|none~0||+|none~0|none~1|none~2|", /edge token "" into node 2/],
    ["|none~0|+|none~0|none~01|+|none~0|none~1|none~2|", /must come from node 1, got "~01"/],
    [" |none~0|+|none~0|none~1|+|none~0|none~1|none~2|", /must start and end/],
  ];
  for (const [input, message] of malformed) {
    test(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => parseArchString(input),
        (error: unknown) => {
          assert.ok(error instanceof Error);
          assert.match(error.message, /^Malformed NAS-Bench-201 architecture string/);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  test("rejects non-strings with a clear message", () => {
    assert.throws(() => parseArchString(42 as unknown as string), /must be a string, got number/);
  });

  test("createCell validates length and operations", () => {
    assert.deepEqual(
      createCell(parseArchString(BEST_CIFAR10).edges),
      parseArchString(BEST_CIFAR10),
    );
    assert.throws(() => createCell(["none"]), /has 6 edges, got 1/);
    assert.throws(
      () => createCell(["none", "none", "none", "none", "none", "max_pool"]),
      /Edge 5 .*"max_pool"/,
    );
  });
});
