/**
 * The ids of the search spaces the system knows (the registry of @nasvae/search-space holds one
 * space per id; its type makes the compiler check that it holds exactly these).
 */
export const SEARCH_SPACE_IDS = ["nas-bench-201", "enas-macro-6"] as const;

export type SearchSpaceId = (typeof SEARCH_SPACE_IDS)[number];
