import type { CellGraph, CellGraphEdge } from "../cell-graph.ts";
import { ENAS_LAYER_COUNT, ENAS_OPERATIONS, type EnasCell } from "./cell.ts";

/**
 * The drawing model of an ENAS-6 cell: input, the six layers labelled with their op, output;
 * the chain edges and the skip edges, with `op: null` since ops sit on the nodes. Edges are
 * listed by target node, then source, as the DAG encoding has them.
 */
export function enasCellGraph(cell: EnasCell): CellGraph {
  const nodes = [
    { id: 0, label: "input" },
    ...cell.ops.map((op, layer) => ({ id: layer + 1, label: ENAS_OPERATIONS[op] ?? String(op) })),
    { id: ENAS_LAYER_COUNT + 1, label: "output" },
  ];
  const edges: CellGraphEdge[] = [];
  for (let layer = 0; layer < ENAS_LAYER_COUNT; layer++) {
    const node = layer + 1;
    (cell.skips[layer] ?? []).forEach((bit, j) => {
      if (bit === 1) edges.push({ from: j, to: node, op: null });
    });
    edges.push({ from: node - 1, to: node, op: null });
  }
  edges.push({ from: ENAS_LAYER_COUNT, to: ENAS_LAYER_COUNT + 1, op: null });
  return { nodes, edges };
}
