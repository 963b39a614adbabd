import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  allCells,
  cellGraph,
  getSearchSpace,
  NB201_EDGES,
  nb201CellGraph,
  parseArchString,
} from "../src/index.ts";

const best =
  "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";

describe("cell graph (drawing model)", () => {
  test("a NAS-Bench-201 cell without none edges: 4 nodes, 6 edges with their ops", () => {
    const graph = nb201CellGraph(parseArchString(best));
    assert.deepEqual(graph.nodes, [
      { id: 0, label: "input" },
      { id: 1, label: "1" },
      { id: 2, label: "2" },
      { id: 3, label: "output" },
    ]);
    assert.deepEqual(graph.edges, [
      { from: 0, to: 1, op: "nor_conv_3x3" },
      { from: 0, to: 2, op: "nor_conv_3x3" },
      { from: 1, to: 2, op: "nor_conv_3x3" },
      { from: 0, to: 3, op: "skip_connect" },
      { from: 1, to: 3, op: "nor_conv_3x3" },
      { from: 2, to: 3, op: "nor_conv_1x1" },
    ]);
  });

  test("none edges are left out; the nodes stay", () => {
    const graph = nb201CellGraph(
      parseArchString("|none~0|+|avg_pool_3x3~0|none~1|+|none~0|none~1|skip_connect~2|"),
    );
    assert.equal(graph.nodes.length, 4);
    assert.deepEqual(graph.edges, [
      { from: 0, to: 2, op: "avg_pool_3x3" },
      { from: 2, to: 3, op: "skip_connect" },
    ]);
    const empty = nb201CellGraph(
      parseArchString("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"),
    );
    assert.deepEqual(empty.edges, []);
    assert.equal(empty.nodes.length, 4);
  });

  test("over the whole space: edges point forward, one per non-none op, in NB201_EDGES order", () => {
    for (const cell of allCells()) {
      const graph = nb201CellGraph(cell);
      const expected = NB201_EDGES.flatMap((edge, i) =>
        cell.edges[i] === "none" ? [] : [{ ...edge, op: cell.edges[i] }],
      );
      assert.deepEqual(graph.edges, expected);
      for (const edge of graph.edges) assert.ok(edge.from < edge.to);
    }
  });

  test("reachable by search space id and string, and through the SearchSpace descriptor", () => {
    const space = getSearchSpace("nas-bench-201");
    assert.deepEqual(cellGraph("nas-bench-201", best), space.graph(space.parse(best)));
    assert.throws(() => cellGraph("nas-bench-101", best), /Unknown search space/);
    assert.throws(() => cellGraph("nas-bench-201", "|conv~0|"), /Malformed/);
  });
});
