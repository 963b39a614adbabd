import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  createEnasCell,
  ENAS_LAYER_COUNT,
  formatEnasArchString,
  parseEnasArchString,
} from "../src/index.ts";
import { readEnas6Rows } from "./enas6-table.ts";

const FIRST_ROW = "[[1],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]";

describe("ENAS-6 architecture strings", () => {
  test("the README's first row parses to its ops and skip bits", () => {
    assert.deepEqual(parseEnasArchString(FIRST_ROW), {
      ops: [1, 4, 5, 0, 2, 3],
      skips: [[], [0], [0, 0], [1, 1, 1], [1, 1, 1, 1], [0, 0, 0, 0, 1]],
    });
  });

  test("every one of the 20,020 table rows parses and formats back to the same string", () => {
    const rows = readEnas6Rows();
    assert.equal(rows.length, 20_020);
    for (const row of rows) {
      const cell = parseEnasArchString(row.arch);
      assert.equal(cell.ops.length, ENAS_LAYER_COUNT);
      assert.equal(formatEnasArchString(cell), row.arch, `line ${row.line}`);
    }
  });

  test("accepts the spaced form of final_structures6.txt, and formats without spaces", () => {
    const spaced = "[[1], [4, 0], [5, 0, 0], [0, 1, 1, 1], [2, 1, 1, 1, 1], [3, 0, 0, 0, 0, 1]]";
    assert.equal(formatEnasArchString(parseEnasArchString(spaced)), FIRST_ROW);
    assert.equal(formatEnasArchString(parseEnasArchString(` ${FIRST_ROW}\n`)), FIRST_ROW);
  });

  test("a malformed string is an Error naming what is wrong", () => {
    const cases: [string, RegExp][] = [
      ["[[1],[4,0]", /not JSON/],
      ["", /not JSON/],
      ['{"ops":[1]}', /expected a list of layers/],
      ["[[1],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1]]", /expected 6 layers, got 5/],
      [
        "[[1],[4,0],[5,0,0],[0,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]",
        /layer 3 has 2 skip bits, expected 3/,
      ],
      [
        "[[1,0],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]",
        /layer 0 has 1 skip bits, expected 0/,
      ],
      [
        "[[7],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]",
        /layer 0's op 7 is out of range 0-5/,
      ],
      [
        "[[1],[-1,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]",
        /layer 1's op -1 is out of range/,
      ],
      [
        "[[1],[4,0],[1.5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]",
        /layer 2's op 1.5 is out of range/,
      ],
      [
        '[["1"],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]',
        /layer 0's op "1" is out of range/,
      ],
      [
        "[[1],[4,0],[5,0,2],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]",
        /layer 2's skip bit 1 is 2, not 0 or 1/,
      ],
      [
        "[[1],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,true]]",
        /layer 5's skip bit 4 is true/,
      ],
      [
        "[[],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]",
        /layer 0 must be a non-empty list/,
      ],
      ["[1,[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]", /layer 0 must be a non-empty list/],
    ];
    for (const [input, reason] of cases) {
      assert.throws(
        () => parseEnasArchString(input),
        (error: unknown) =>
          error instanceof Error &&
          error.message.startsWith(`Malformed ENAS-6 architecture string "${input}": `) &&
          reason.test(error.message),
        input,
      );
    }
    assert.throws(() => parseEnasArchString(7 as unknown as string), /must be a string/);
  });

  test("createEnasCell checks what it builds", () => {
    const cell = createEnasCell(
      [1, 4, 5, 0, 2, 3],
      [[], [0], [0, 0], [1, 1, 1], [1, 1, 1, 1], [0, 0, 0, 0, 1]],
    );
    assert.equal(formatEnasArchString(cell), FIRST_ROW);
    assert.throws(() => createEnasCell([1, 4, 5, 0, 2, 6], cell.skips), /layer 5's op 6/);
    assert.throws(() => createEnasCell([1, 4, 5, 0, 2], cell.skips), /5 ops but 6 skip lists/);
  });
});
