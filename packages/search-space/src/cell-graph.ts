/**
 * A cell as something to draw, whatever the search space: nodes in topological order and the
 * edges between them. Spaces with operations on edges (NAS-Bench-201) set `op` on each edge;
 * spaces with operations on nodes (NAS-Bench-101-like) would put the op in the node's label and
 * leave `op` null. Only edges that carry data are listed: an edge whose operation is the zero
 * operation (`none`) is no connection at all, so it is left out.
 */
export interface CellGraph {
  /** Topologically ordered: every edge goes from a lower index to a higher one. */
  readonly nodes: CellGraphNode[];
  readonly edges: CellGraphEdge[];
}

export interface CellGraphNode {
  /** Position in `nodes` (0 is the cell's input, the last one its output). */
  readonly id: number;
  readonly label: string;
}

export interface CellGraphEdge {
  readonly from: number;
  readonly to: number;
  /** The operation applied on the edge; null where operations sit on nodes. */
  readonly op: string | null;
}
