import type { SearchSpace } from "../search-space.ts";
import { formatArchString, parseArchString } from "./arch-string.ts";
import { canonicalHash, canonicalString } from "./canonical.ts";
import type { Nb201Cell } from "./cell.ts";
import { nb201CellGraph } from "./cell-graph.ts";
import { type NetworkCost, type NetworkCostOptions, networkCost } from "./cost.ts";
import { fromNodeDag, NB201_NODE_DAG_VOCABULARY, toNodeDag } from "./encoding.ts";
import { allCells, NB201_SPACE_SIZE } from "./enumerate.ts";
import { cellDistance, cellNeighbours, mutateCell } from "./mutation.ts";
import { sampleCell } from "./sampling.ts";

export const NB201_SEARCH_SPACE_ID = "nas-bench-201";

/** NAS-Bench-201 (= NATS-Bench topology space) as a SearchSpace descriptor; small enough to list. */
export const nasBench201SearchSpace: SearchSpace<Nb201Cell, NetworkCostOptions, NetworkCost> & {
  enumerate(): Iterable<Nb201Cell>;
} = {
  id: NB201_SEARCH_SPACE_ID,
  name: "NAS-Bench-201",
  size: NB201_SPACE_SIZE,
  dagVocabulary: NB201_NODE_DAG_VOCABULARY,
  parse: parseArchString,
  format: formatArchString,
  canonicalString,
  canonicalHash,
  sample: sampleCell,
  mutate: mutateCell,
  neighbours: cellNeighbours,
  distance: cellDistance,
  enumerate: allCells,
  toDag: toNodeDag,
  fromDag: fromNodeDag,
  graph: nb201CellGraph,
  cost: networkCost,
};
