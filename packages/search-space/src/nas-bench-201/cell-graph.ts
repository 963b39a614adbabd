import type { CellGraph } from "../cell-graph.ts";
import { NB201_EDGES, NB201_NODE_COUNT, type Nb201Cell } from "./cell.ts";

const NODE_LABELS = ["input", "1", "2", "output"] as const;

/**
 * The drawing model of a NAS-Bench-201 cell: its 4 nodes (feature maps; each one sums its
 * incoming edges) and one edge per edge whose op is not `none`, in NB201_EDGES order. A cell
 * of six `none` edges has no edges at all, and a node whose edges are all `none` stays listed,
 * unconnected: that is what the cell computes.
 */
export function nb201CellGraph(cell: Nb201Cell): CellGraph {
  return {
    nodes: Array.from({ length: NB201_NODE_COUNT }, (_, id) => ({
      id,
      label: NODE_LABELS[id] ?? String(id),
    })),
    edges: NB201_EDGES.flatMap(({ from, to }, i) => {
      const op = cell.edges[i];
      return op === undefined || op === "none" ? [] : [{ from, to, op }];
    }),
  };
}
