import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type Dag,
  ENAS_DAG_VOCABULARY,
  enasFromDag,
  enasSearchSpace,
  enasToDag,
  parseEnasArchString,
} from "../src/index.ts";
import { readEnas6Rows } from "./enas6-table.ts";

const FIRST_ROW = "[[1],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]";

/**
 * What D-VAE's decode_ENAS_to_igraph builds for FIRST_ROW, written out by hand: types input 0,
 * op + 2 for the layers (1,4,5,0,2,3 → 3,6,7,2,4,5), output 1; edges the chain 0→1…6→7, layer
 * 3 (node 4) also from 0,1,2, layer 4 (node 5) also from 0,1,2,3, layer 5 (node 6) also from 4.
 */
const FIRST_ROW_DAG: Dag = {
  ops: [0, 3, 6, 7, 2, 4, 5, 1],
  adjacency: [
    [0, 1, 0, 0, 1, 1, 0, 0],
    [0, 0, 1, 0, 1, 1, 0, 0],
    [0, 0, 0, 1, 1, 1, 0, 0],
    [0, 0, 0, 0, 1, 1, 0, 0],
    [0, 0, 0, 0, 0, 1, 1, 0],
    [0, 0, 0, 0, 0, 0, 1, 0],
    [0, 0, 0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0, 0, 0],
  ],
};

/** FIRST_ROW_DAG with some changes: `ops` entries and adjacency entries [from, to, value]. */
function edited(ops: Record<number, number>, edges: [number, number, number][]): Dag {
  const dag = {
    ops: FIRST_ROW_DAG.ops.map((op, i) => ops[i] ?? op),
    adjacency: FIRST_ROW_DAG.adjacency.map((row) => [...row]),
  };
  for (const [from, to, value] of edges) (dag.adjacency[from] as number[])[to] = value;
  return dag;
}

describe("ENAS-6 DAG encoding (D-VAE's)", () => {
  test("vocabulary is D-VAE's type ids", () => {
    assert.deepEqual(ENAS_DAG_VOCABULARY, [
      "input",
      "output",
      "conv3x3",
      "sep_conv3x3",
      "conv5x5",
      "sep_conv5x5",
      "avg_pool3x3",
      "max_pool3x3",
    ]);
    assert.equal(enasSearchSpace.dagVocabulary, ENAS_DAG_VOCABULARY);
  });

  test("the README's first row gives the DAG D-VAE builds", () => {
    assert.deepEqual(enasToDag(parseEnasArchString(FIRST_ROW)), FIRST_ROW_DAG);
    assert.equal(enasSearchSpace.format(enasFromDag(FIRST_ROW_DAG)), FIRST_ROW);
  });

  test("fromDag(toDag(cell)) is the cell on every table row", () => {
    for (const row of readEnas6Rows()) {
      const cell = parseEnasArchString(row.arch);
      const dag = enasToDag(cell);
      assert.deepEqual(enasFromDag(dag), cell, `line ${row.line}`);
      // The chain and the output edge are always there; every other edge is a skip bit.
      const edges = dag.adjacency.flat().reduce((sum, x) => sum + x, 0);
      const bits = cell.skips.flat().reduce((sum, x) => sum + x, 0);
      assert.equal(edges, 7 + bits);
    }
  });

  test("rejects each kind of invalid graph with its reason", () => {
    const cases: [string, Dag, RegExp][] = [
      ["7 nodes", { ops: FIRST_ROW_DAG.ops.slice(0, 7), adjacency: [] }, /7 nodes, expected 8/],
      ["op out of vocabulary", edited({ 3: 8 }, []), /node 3 has op 8/],
      ["backward edge", edited({}, [[4, 2, 1]]), /not forward/],
      ["non-0/1 entry", edited({}, [[0, 4, 2]]), /adjacency\[0\]\[4\] is 2/],
      ["node 0 not the input", edited({ 0: 2 }, []), /node 0 is conv3x3, expected input/],
      ["node 7 not the output", edited({ 7: 7 }, []), /node 7 is max_pool3x3, expected output/],
      ["a second input", edited({ 3: 0 }, []), /node 3 is input, expected a layer op/],
      ["a second output", edited({ 5: 1 }, []), /node 5 is output, expected a layer op/],
      ["a missing chain edge", edited({}, [[2, 3, 0]]), /no edge 2 → 3/],
      ["a missing output edge", edited({}, [[6, 7, 0]]), /no edge 6 → 7/],
      [
        "a skip into the output",
        edited({}, [[3, 7, 1]]),
        /edge 3 → 7: the output is fed by node 6 only/,
      ],
      ["the input straight to the output", edited({}, [[0, 7, 1]]), /edge 0 → 7/],
    ];
    for (const [name, dag, reason] of cases) {
      assert.throws(
        () => enasFromDag(dag),
        (error: unknown) =>
          error instanceof Error &&
          error.message.startsWith("Invalid ENAS-6 DAG: ") &&
          reason.test(error.message),
        name,
      );
    }
  });
});
