import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  cellGraph,
  createRandom,
  enasCellGraph,
  enasSearchSpace,
  enasToDag,
  parseEnasArchString,
  sampleEnasCell,
} from "../src/index.ts";

const FIRST_ROW = "[[1],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]";

describe("ENAS-6 cell graph", () => {
  test("the README's first row: 8 labelled nodes, chain and skip edges without ops", () => {
    const graph = enasCellGraph(parseEnasArchString(FIRST_ROW));
    assert.deepEqual(
      graph.nodes.map((n) => n.label),
      [
        "input",
        "sep_conv3x3",
        "avg_pool3x3",
        "max_pool3x3",
        "conv3x3",
        "conv5x5",
        "sep_conv5x5",
        "output",
      ],
    );
    assert.deepEqual(
      graph.nodes.map((n) => n.id),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );
    assert.deepEqual(
      graph.edges.map((e) => `${e.from}>${e.to}`),
      [
        "0>1",
        "1>2",
        "2>3",
        "0>4",
        "1>4",
        "2>4",
        "3>4",
        "0>5",
        "1>5",
        "2>5",
        "3>5",
        "4>5",
        "4>6",
        "5>6",
        "6>7",
      ],
    );
    assert.ok(graph.edges.every((e) => e.op === null));
  });

  test("its edges are the DAG encoding's, on samples; reachable by id and string", () => {
    const rng = createRandom(4);
    for (let k = 0; k < 500; k++) {
      const cell = sampleEnasCell(rng);
      const graph = enasCellGraph(cell);
      const dag = enasToDag(cell);
      const dagEdges = dag.adjacency.flatMap((row, from) =>
        row.flatMap((x, to) => (x ? [`${from}>${to}`] : [])),
      );
      assert.deepEqual(graph.edges.map((e) => `${e.from}>${e.to}`).sort(), dagEdges.sort());
    }
    assert.deepEqual(
      cellGraph("enas-macro-6", FIRST_ROW),
      enasSearchSpace.graph(enasSearchSpace.parse(FIRST_ROW)),
    );
    assert.throws(() => cellGraph("enas-macro-6", "[[9]]"), /Malformed ENAS-6/);
  });
});
