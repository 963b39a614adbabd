import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  allCells,
  fromNodeDag,
  NB201_NODE_DAG_VOCABULARY,
  NB201_OPERATIONS,
  nodeDagOneHot,
  parseArchString,
  toEdgeGraph,
  toNodeDag,
  validateDag,
} from "../src/index.ts";

const CELL = parseArchString(
  "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|",
);

describe("edge-labelled DAG", () => {
  test("4x4 upper-triangular adjacency with the 6 cell edges and 6x5 one-hot ops", () => {
    const g = toEdgeGraph(CELL);
    assert.deepEqual(g.adjacency, [
      [0, 1, 1, 1],
      [0, 0, 1, 1],
      [0, 0, 0, 1],
      [0, 0, 0, 0],
    ]);
    assert.deepEqual(g.edgeOps, [3, 3, 3, 1, 3, 2]);
    assert.equal(g.edgeOpOneHot.length, 6);
    g.edgeOpOneHot.forEach((row, i) => {
      assert.equal(row.length, NB201_OPERATIONS.length);
      assert.equal(
        row.reduce((a, b) => a + b, 0),
        1,
      );
      assert.equal(row[g.edgeOps[i] ?? -1], 1);
    });
  });
});

describe("operations-on-nodes DAG", () => {
  test("8 nodes: input, one per edge, output; the arch2vec/D-VAE adjacency", () => {
    const dag = toNodeDag(CELL);
    assert.deepEqual(
      dag.ops.map((i) => NB201_NODE_DAG_VOCABULARY[i]),
      [
        "input",
        "nor_conv_3x3",
        "nor_conv_3x3",
        "nor_conv_3x3",
        "skip_connect",
        "nor_conv_3x3",
        "nor_conv_1x1",
        "output",
      ],
    );
    // Op nodes 1..6 = edges (0→1),(0→2),(1→2),(0→3),(1→3),(2→3).
    assert.deepEqual(dag.adjacency, [
      [0, 1, 1, 0, 1, 0, 0, 0],
      [0, 0, 0, 1, 0, 1, 0, 0],
      [0, 0, 0, 0, 0, 0, 1, 0],
      [0, 0, 0, 0, 0, 0, 1, 0],
      [0, 0, 0, 0, 0, 0, 0, 1],
      [0, 0, 0, 0, 0, 0, 0, 1],
      [0, 0, 0, 0, 0, 0, 0, 1],
      [0, 0, 0, 0, 0, 0, 0, 0],
    ]);
    validateDag(dag, NB201_NODE_DAG_VOCABULARY.length);
    const features = nodeDagOneHot(dag);
    assert.equal(features.length, 8);
    for (const row of features) {
      assert.equal(row.length, 7);
      assert.equal(
        row.reduce((a, b) => a + b, 0),
        1,
      );
    }
  });

  test("fromNodeDag inverts toNodeDag for every cell", () => {
    for (const cell of allCells()) assert.deepEqual(fromNodeDag(toNodeDag(cell)), cell);
  });

  test("fromNodeDag / validateDag reject malformed graphs", () => {
    const dag = toNodeDag(CELL);
    assert.throws(
      () => fromNodeDag({ ...dag, ops: [0, 1, 2, 3, 4, 5, 6, 6] }),
      /no cell op|output/,
    );
    assert.throws(() => fromNodeDag({ ...dag, ops: [...dag.ops.slice(0, 7), 9] }), /op 9/);
    const backward = dag.adjacency.map((row) => [...row]);
    (backward[3] as number[])[1] = 1;
    assert.throws(() => fromNodeDag({ ...dag, adjacency: backward }), /not forward/);
    const missing = dag.adjacency.map((row) => [...row]);
    (missing[0] as number[])[1] = 0;
    assert.throws(
      () => fromNodeDag({ ...dag, adjacency: missing }),
      /adjacency\[0\]\[1\] must be 1/,
    );
  });
});
