/**
 * What the model needs to know of a search space's graphs. Cells are DAGs with at most
 * `maxNodes` nodes in topological order; node 0 is the input and the last node is the output.
 * Shorter cells are padded before the output node with `pad` nodes (no op, no edges), so that
 * input and output keep their positions.
 */
export interface GraphSpace {
  /** Node types; `vocabulary[inputOp]` and `vocabulary[outputOp]` mark the two ends. */
  readonly vocabulary: readonly string[];
  readonly maxNodes: number;
  readonly inputOp: number;
  readonly outputOp: number;
  /** True when cells may have fewer than maxNodes nodes (a pad class is then decoded). */
  readonly variableSize: boolean;
  /** Spaces whose topology never changes (NAS-Bench-201) give it: decoded cells then use it. */
  readonly fixedAdjacency?: readonly (readonly number[])[];
}

/** A cell in the model's fixed-size form. */
export interface PaddedGraph {
  /** Class per node position: an op index, or `vocabulary.length` for a pad node. */
  readonly classes: readonly number[];
  readonly adjacency: readonly (readonly number[])[];
}

export function padClass(space: GraphSpace): number {
  return space.vocabulary.length;
}

/** Number of node classes the model predicts (the vocabulary, plus pad where cells vary). */
export function classCount(space: GraphSpace): number {
  return space.vocabulary.length + (space.variableSize ? 1 : 0);
}

/** Pads a DAG (ops + adjacency, output last) to maxNodes, keeping the output node last. */
export function padGraph(
  space: GraphSpace,
  ops: readonly number[],
  adjacency: readonly (readonly number[])[],
): PaddedGraph {
  const n = ops.length;
  const size = space.maxNodes;
  if (n > size) throw new Error(`a cell has ${n} nodes; the model takes at most ${size}`);
  const position = (i: number) => (i === n - 1 ? size - 1 : i);
  const classes = new Array<number>(size).fill(padClass(space));
  const padded = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  ops.forEach((op, i) => {
    classes[position(i)] = op;
  });
  adjacency.forEach((row, i) => {
    row.forEach((value, j) => {
      if (value) (padded[position(i)] as number[])[position(j)] = 1;
    });
  });
  return { classes, adjacency: padded };
}

/** Inverse of padGraph: drops pad nodes. */
export function unpadGraph(
  space: GraphSpace,
  graph: PaddedGraph,
): { ops: number[]; adjacency: number[][] } {
  const kept = graph.classes
    .map((cls, i) => ({ cls, i }))
    .filter(({ cls }) => cls !== padClass(space));
  return {
    ops: kept.map(({ cls }) => cls),
    adjacency: kept.map(({ i }) => kept.map(({ i: j }) => graph.adjacency[i]?.[j] ?? 0)),
  };
}
