import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type SearchSpaceInfo, SearchSpaceList } from "@nasvae/contracts";
import {
  createRandom,
  getSearchSpace,
  SEARCH_SPACE_IDS,
  type SearchSpace,
} from "@nasvae/search-space";
import { evaluatorsOf, spaceClasses } from "../campaign-domain.ts";

/** The example cell of each space: a fixed sample, so the answer never changes between calls. */
const EXAMPLE_SEED = 0;

async function describeSpace(id: string): Promise<SearchSpaceInfo> {
  const space: SearchSpace<unknown> = getSearchSpace(id);
  return {
    id: space.id,
    name: space.name,
    size: space.size,
    isomorphismClasses: spaceClasses(id),
    example: space.format(space.sample(createRandom(EXAMPLE_SEED))),
    enumerable: typeof space.enumerate === "function",
    evaluators: await evaluatorsOf(id),
  };
}

/** GET /search-spaces: what a campaign's `searchSpace` may name, and which evaluators fit each. */
export const searchSpaceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/search-spaces",
    {
      schema: {
        operationId: "listSearchSpaces",
        summary:
          "The search spaces a campaign can search: size, an example cell, and the evaluator kinds that can score each",
        tags: ["search spaces"],
        response: { 200: SearchSpaceList },
      },
    },
    async () => ({ items: await Promise.all(SEARCH_SPACE_IDS.map(describeSpace)) }),
  );
};
