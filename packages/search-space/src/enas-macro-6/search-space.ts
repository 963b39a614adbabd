import type { SearchSpace } from "../search-space.ts";
import { formatEnasArchString, parseEnasArchString } from "./arch-string.ts";
import { enasCanonicalHash, enasCanonicalString } from "./canonical.ts";
import type { EnasCell } from "./cell.ts";
import { enasCellGraph } from "./cell-graph.ts";
import { type EnasNetworkCost, type EnasNetworkCostOptions, enasNetworkCost } from "./cost.ts";
import { ENAS_DAG_VOCABULARY, enasFromDag, enasToDag } from "./encoding.ts";
import { enasDistance, enasNeighbours, mutateEnasCell } from "./mutation.ts";
import { sampleEnasCell } from "./sampling.ts";
import { ENAS_SPACE_SIZE } from "./size.ts";

export const ENAS_SEARCH_SPACE_ID = "enas-macro-6";

/**
 * The ENAS 6-layer macro space as a SearchSpace descriptor. 1.5e9 cells: no `enumerate`;
 * restrict it to the evaluated table (domain.ts) to search what can be scored.
 */
export const enasSearchSpace: SearchSpace<EnasCell, EnasNetworkCostOptions, EnasNetworkCost> = {
  id: ENAS_SEARCH_SPACE_ID,
  name: "ENAS macro (6 layers)",
  size: ENAS_SPACE_SIZE,
  dagVocabulary: ENAS_DAG_VOCABULARY,
  parse: parseEnasArchString,
  format: formatEnasArchString,
  canonicalString: enasCanonicalString,
  canonicalHash: enasCanonicalHash,
  sample: sampleEnasCell,
  mutate: mutateEnasCell,
  neighbours: enasNeighbours,
  distance: enasDistance,
  toDag: enasToDag,
  fromDag: enasFromDag,
  graph: enasCellGraph,
  cost: enasNetworkCost,
};
