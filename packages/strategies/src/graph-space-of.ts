import type { GraphSpace, PaddedGraph } from "@nasvae/graph-vae";
import { createRandom } from "@nasvae/search-space";
import type { AnySearchSpace } from "./strategy.ts";

export interface SpaceGraphs {
  graphSpace: GraphSpace;
  /** Every cell of the space (or a sample of a large one) in the model's form: unlabelled data. */
  unlabelled: PaddedGraph[];
  toGraph(cell: unknown): PaddedGraph;
}

const cache = new Map<string, Promise<SpaceGraphs>>();

/** Cap on the unlabelled cells taken from spaces too large to enumerate. */
const MAX_UNLABELLED = 50_000;

/**
 * Describes a search space's cells to the graph VAE: node vocabulary, size, and whether all cells
 * share one topology (NAS-Bench-201 does: the decoder then uses it, and decodes are valid by
 * construction). Computed once per space per process.
 */
export function spaceGraphs(space: AnySearchSpace): Promise<SpaceGraphs> {
  let entry = cache.get(space.id);
  if (!entry) {
    entry = (async () => {
      const { padGraph } = await import("@nasvae/graph-vae");
      const dags = [];
      // The whole space where it can be listed; otherwise a fixed uniform sample of it.
      const cells: Iterable<unknown> = space.enumerate
        ? space.enumerate()
        : (function* () {
            const rng = createRandom(0);
            for (;;) yield space.sample(rng);
          })();
      for (const cell of cells) {
        dags.push(space.toDag(cell));
        if (dags.length >= MAX_UNLABELLED) break;
      }
      const vocabulary = space.dagVocabulary;
      const maxNodes = Math.max(...dags.map((d) => d.ops.length));
      const first = JSON.stringify(dags[0]?.adjacency);
      const fixed = dags.every((d) => JSON.stringify(d.adjacency) === first);
      const graphSpace: GraphSpace = {
        vocabulary,
        maxNodes,
        inputOp: vocabulary.indexOf("input"),
        outputOp: vocabulary.indexOf("output"),
        variableSize: dags.some((d) => d.ops.length !== maxNodes),
        ...(fixed && dags[0] ? { fixedAdjacency: dags[0].adjacency } : {}),
      };
      if (graphSpace.inputOp < 0 || graphSpace.outputOp < 0) {
        throw new Error(
          `search space ${space.id} has no "input"/"output" node types for the graph VAE`,
        );
      }
      const toGraph = (cell: unknown) => {
        const dag = space.toDag(cell);
        return padGraph(graphSpace, dag.ops, dag.adjacency);
      };
      return {
        graphSpace,
        unlabelled: dags.map((d) => padGraph(graphSpace, d.ops, d.adjacency)),
        toGraph,
      };
    })();
    cache.set(space.id, entry);
  }
  return entry;
}
