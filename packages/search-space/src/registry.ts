import { SEARCH_SPACE_IDS, type SearchSpaceId } from "@nasvae/contracts";
import type { CellGraph } from "./cell-graph.ts";
import { ENAS_SEARCH_SPACE_ID, enasSearchSpace } from "./enas-macro-6/search-space.ts";
import { NB201_SEARCH_SPACE_ID, nasBench201SearchSpace } from "./nas-bench-201/search-space.ts";
import type { SearchSpace } from "./search-space.ts";

/** Every search space the system knows, keyed by id: one for each id of @nasvae/contracts. */
export const searchSpaces = {
  [NB201_SEARCH_SPACE_ID]: nasBench201SearchSpace,
  [ENAS_SEARCH_SPACE_ID]: enasSearchSpace,
} as const satisfies Record<SearchSpaceId, unknown>;

export { SEARCH_SPACE_IDS, type SearchSpaceId };

export function isSearchSpaceId(value: string): value is SearchSpaceId {
  return Object.hasOwn(searchSpaces, value);
}

/**
 * The search space with this id; throws listing the known ids otherwise. A literal id gives
 * that space's own type; any other string gives a space whose cells are opaque (`unknown`): use
 * its own parse/format/… on them, which is all a space-agnostic caller needs.
 */
export function getSearchSpace<Id extends SearchSpaceId>(id: Id): (typeof searchSpaces)[Id];
export function getSearchSpace(id: string): SearchSpace<unknown>;
export function getSearchSpace(id: string): SearchSpace<unknown> {
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
