import { NB201_EDGES, NB201_NODE_COUNT, type Nb201Cell } from "@nasvae/search-space";

/** Which edges and nodes of a cell can influence its output. */
export interface CellLiveness {
  /** Per edge (NB201_EDGES order): not `none`, and its target node reaches the output. */
  readonly edges: readonly boolean[];
  /** Per node: it is the output, or feeds it through non-`none` edges. */
  readonly nodes: readonly boolean[];
}

/**
 * An edge i→j is live when its operation is not `none` and node j reaches the output (node 3).
 * The others ("dead" edges, e.g. everything into node 2 when 2→3 is `none`) still own
 * parameters, as in NB201, but skipping their computation changes no output or gradient.
 * A live node fed only by `none` is zeros, and still has to be computed: conv-BN of zeros is
 * not zero.
 */
export function cellLiveness(cell: Nb201Cell): CellLiveness {
  const nodes = new Array<boolean>(NB201_NODE_COUNT).fill(false);
  nodes[NB201_NODE_COUNT - 1] = true;
  // Edges are ordered by target node, so walking them backwards settles later nodes first.
  for (let i = NB201_EDGES.length - 1; i >= 0; i--) {
    const edge = NB201_EDGES[i];
    if (edge && cell.edges[i] !== "none" && nodes[edge.to]) nodes[edge.from] = true;
  }
  const edges = NB201_EDGES.map((edge, i) => cell.edges[i] !== "none" && nodes[edge.to] === true);
  return { edges, nodes };
}
