import type { CellGraph } from "./cell-graph.ts";
import { NB201_SEARCH_SPACE_ID, nasBench201SearchSpace } from "./nas-bench-201/search-space.ts";

/** Every search space the system knows, keyed by id. */
export const searchSpaces = {
  [NB201_SEARCH_SPACE_ID]: nasBench201SearchSpace,
} as const;

export type SearchSpaceId = keyof typeof searchSpaces;

export const SEARCH_SPACE_IDS = Object.keys(searchSpaces) as readonly SearchSpaceId[];

export function isSearchSpaceId(value: string): value is SearchSpaceId {
  return Object.hasOwn(searchSpaces, value);
}

/** The search space with this id; throws listing the known ids otherwise. */
export function getSearchSpace(id: string): (typeof searchSpaces)[SearchSpaceId] {
  if (!isSearchSpaceId(id)) {
    throw new Error(`Unknown search space "${id}" (known: ${SEARCH_SPACE_IDS.join(", ")})`);
  }
  return searchSpaces[id];
}

/** The drawing model of a cell given as its search space's string; throws if either is unknown. */
export function cellGraph(searchSpaceId: string, archString: string): CellGraph {
  const space = getSearchSpace(searchSpaceId);
  return space.graph(space.parse(archString));
}
