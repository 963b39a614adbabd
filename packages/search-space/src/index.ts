export type { CellGraph, CellGraphEdge, CellGraphNode } from "./cell-graph.ts";
export { type Dag, oneHot, validateDag } from "./dag.ts";
export { formatArchString, parseArchString } from "./nas-bench-201/arch-string.ts";
export { canonicalHash, canonicalString } from "./nas-bench-201/canonical.ts";
export {
  createCell,
  edgeOperation,
  NB201_EDGE_COUNT,
  NB201_EDGES,
  NB201_NODE_COUNT,
  type Nb201Cell,
  type Nb201Edges,
} from "./nas-bench-201/cell.ts";
export { nb201CellGraph } from "./nas-bench-201/cell-graph.ts";
export {
  type LayerCost,
  type NetworkCost,
  type NetworkCostOptions,
  networkCost,
  networkLayers,
} from "./nas-bench-201/cost.ts";
export {
  fromNodeDag,
  NB201_NODE_DAG_ADJACENCY,
  NB201_NODE_DAG_VOCABULARY,
  type Nb201EdgeGraph,
  type Nb201NodeDagOp,
  nodeDagOneHot,
  toEdgeGraph,
  toNodeDag,
} from "./nas-bench-201/encoding.ts";
export {
  allCells,
  cellAtOrdinal,
  cellOrdinal,
  NB201_SPACE_SIZE,
} from "./nas-bench-201/enumerate.ts";
export { cellDistance, cellNeighbours, mutateCell } from "./nas-bench-201/mutation.ts";
export {
  isNb201Operation,
  NB201_OPERATIONS,
  type Nb201Operation,
  operationIndex,
} from "./nas-bench-201/operations.ts";
export { sampleCell } from "./nas-bench-201/sampling.ts";
export { NB201_SEARCH_SPACE_ID, nasBench201SearchSpace } from "./nas-bench-201/search-space.ts";
export { createRandom, Mulberry32, type Random } from "./random.ts";
export {
  cellGraph,
  getSearchSpace,
  isSearchSpaceId,
  SEARCH_SPACE_IDS,
  type SearchSpaceId,
  searchSpaces,
} from "./registry.ts";
export type { DomainSearchSpace, SearchSpace } from "./search-space.ts";
