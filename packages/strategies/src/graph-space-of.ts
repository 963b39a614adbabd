import type { GraphSpace, PaddedGraph } from "@nasvae/graph-vae";
import { createRandom, type Dag, type DomainSearchSpace } from "@nasvae/search-space";
import type { AnySearchSpace } from "./strategy.ts";

export interface SpaceGraphs {
  graphSpace: GraphSpace;
  /**
   * The graph VAE's unlabelled data, in the model's form: every cell where the space can be
   * listed (NAS-Bench-201's 15,625; a table's domain), otherwise a fixed uniform sample of it.
   */
  unlabelled: PaddedGraph[];
  /**
   * FLOPs of each unlabelled cell from the space's cost model (known without training, see
   * GraphVaeConfig.costFeature), or undefined where the space's cost has no `flops`.
   */
  unlabelledFlops: number[] | undefined;
  toGraph(cell: unknown): PaddedGraph;
  /** A cell's FLOPs from the space's cost model, or undefined where it has none. */
  cellFlops(cell: unknown): number | undefined;
}

const cache = new Map<string, Promise<SpaceGraphs>>();

/** Cap on the unlabelled cells: more than this are sampled (uniformly) instead of listed. */
const MAX_UNLABELLED = 50_000;
/**
 * Uniform cells of the whole space looked at to tell the graph shape (largest cell, varying
 * size, one topology or several), on top of the unlabelled cells: a domain's cells may share a
 * shape that the space's decoded cells do not.
 */
const SHAPE_SAMPLES = 2_000;

/** True for a search space restricted to a table's cells (see DomainSearchSpace). */
export function isDomainSpace(space: AnySearchSpace): space is DomainSearchSpace<unknown> {
  const candidate = space as Partial<DomainSearchSpace<unknown>>;
  return (
    typeof candidate.nearest === "function" &&
    typeof candidate.contains === "function" &&
    candidate.base !== undefined
  );
}

/**
 * What identifies a space's graphs in this process's caches. A domain keeps its base space's
 * id, yet its unlabelled cells differ: its key adds its size and first cell.
 */
export function spaceKey(space: AnySearchSpace): string {
  if (!isDomainSpace(space)) return space.id;
  const first = space.enumerate()[Symbol.iterator]().next();
  const firstHash = first.done ? "empty" : space.canonicalHash(first.value);
  return `${space.id}/domain/${space.size}/${firstHash}`;
}

/**
 * Describes a search space's cells to the graph VAE: node vocabulary, size, whether cells vary
 * in size and whether all share one topology (NAS-Bench-201 does: the decoder then uses it, and
 * decodes are valid by construction; ENAS-6 does not: decoded edges decide the architecture and
 * the space's fromDag judges them). Computed once per space (see spaceKey) per process.
 *
 * Unlabelled cells, what the VAE is pretrained on: the space's own list where it has one and it
 * is at most MAX_UNLABELLED long (a campaign on a table gets the table's cells: what it can
 * propose, and what D-VAE trains on); otherwise MAX_UNLABELLED uniform samples of the space.
 */
export function spaceGraphs(space: AnySearchSpace): Promise<SpaceGraphs> {
  const key = spaceKey(space);
  let entry = cache.get(key);
  if (!entry) {
    entry = (async () => {
      const { padGraph } = await import("@nasvae/graph-vae");
      const rng = createRandom(0);
      const dags: Dag[] = [];
      const flops: (number | undefined)[] = [];
      const add = (cell: unknown) => {
        dags.push(space.toDag(cell));
        flops.push(cellFlops(space, cell));
      };
      if (space.enumerate && space.size <= MAX_UNLABELLED) {
        for (const cell of space.enumerate()) add(cell);
      } else {
        while (dags.length < MAX_UNLABELLED) add(space.sample(rng));
      }
      // The shape is the whole space's: decoded cells are cells of the base space.
      const base = isDomainSpace(space) ? space.base : space;
      const shapeDags =
        base === space && space.enumerate && space.size <= MAX_UNLABELLED
          ? dags
          : [...dags, ...Array.from({ length: SHAPE_SAMPLES }, () => base.toDag(base.sample(rng)))];
      const vocabulary = space.dagVocabulary;
      const maxNodes = Math.max(...shapeDags.map((d) => d.ops.length));
      const first = JSON.stringify(shapeDags[0]?.adjacency);
      const fixed = shapeDags.every((d) => JSON.stringify(d.adjacency) === first);
      const graphSpace: GraphSpace = {
        vocabulary,
        maxNodes,
        inputOp: vocabulary.indexOf("input"),
        outputOp: vocabulary.indexOf("output"),
        variableSize: shapeDags.some((d) => d.ops.length !== maxNodes),
        ...(fixed && shapeDags[0] ? { fixedAdjacency: shapeDags[0].adjacency } : {}),
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
        unlabelledFlops: flops.every((f) => f !== undefined) ? (flops as number[]) : undefined,
        toGraph,
        cellFlops: (cell: unknown) => cellFlops(space, cell),
      };
    })();
    cache.set(key, entry);
    entry.catch(() => cache.delete(key));
  }
  return entry;
}

/** FLOPs of a cell by the space's cost model (default options), if it reports positive FLOPs. */
function cellFlops(space: AnySearchSpace, cell: unknown): number | undefined {
  const cost: unknown = space.cost(cell);
  const flops = (cost as { flops?: unknown } | null)?.flops;
  return typeof flops === "number" && Number.isFinite(flops) && flops > 0 ? flops : undefined;
}
