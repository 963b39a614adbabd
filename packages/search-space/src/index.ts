export type { CellGraph, CellGraphEdge, CellGraphNode } from "./cell-graph.ts";
export { type Dag, oneHot, validateDag } from "./dag.ts";
export { restrictToDomain } from "./domain.ts";
export {
  createEnasCell,
  formatEnasArchString,
  parseEnasArchString,
} from "./enas-macro-6/arch-string.ts";
export { enasCanonicalHash, enasCanonicalString } from "./enas-macro-6/canonical.ts";
export {
  ENAS_LAYER_COUNT,
  ENAS_OPERATIONS,
  type EnasCell,
  type EnasOperation,
} from "./enas-macro-6/cell.ts";
export { enasCellGraph } from "./enas-macro-6/cell-graph.ts";
export {
  ENAS_OPERATION_SHAPES,
  ENAS_REDUCTION_AFTER_LAYERS,
  type EnasLayerCost,
  type EnasNetworkCost,
  type EnasNetworkCostOptions,
  enasNetworkCost,
  enasNetworkLayers,
} from "./enas-macro-6/cost.ts";
export {
  ENAS_DAG_NODE_COUNT,
  ENAS_DAG_VOCABULARY,
  enasFromDag,
  enasToDag,
} from "./enas-macro-6/encoding.ts";
export {
  ENAS_NEIGHBOUR_COUNT,
  enasDistance,
  enasNeighbours,
  mutateEnasCell,
} from "./enas-macro-6/mutation.ts";
export { sampleEnasCell } from "./enas-macro-6/sampling.ts";
export { ENAS_SEARCH_SPACE_ID, enasSearchSpace } from "./enas-macro-6/search-space.ts";
export { ENAS_SKIP_COUNT, ENAS_SPACE_SIZE } from "./enas-macro-6/size.ts";
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
export {
  ENAS_REDUCTION_LAYERS,
  type EnasOperationShape,
  enasLayerNames,
  enasNetworkInventory,
  enasOperationShape,
  skipCount,
} from "./network/enas-inventory.ts";
export {
  type BatchNormLayerSpec,
  type ConvLayerSpec,
  convKernel,
  type DenseLayerSpec,
  type DepthwiseConvLayerSpec,
  type LayerSpec,
  layerNames,
  networkInventory,
  stageGeometry,
} from "./network/inventory.ts";
export {
  ACTIVATION_COPIES,
  enasTrainingMemory,
  inventoryMemory,
  type MemoryRecipe,
  nb201TrainingMemory,
  type TrainingMemoryEstimate,
} from "./network/memory.ts";
export type { EnasNetworkShape, ImageShape, NetworkShape } from "./network/shapes.ts";
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
