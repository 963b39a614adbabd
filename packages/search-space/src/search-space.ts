import type { CellGraph } from "./cell-graph.ts";
import type { Dag } from "./dag.ts";
import type { Random } from "./random.ts";

/**
 * What the rest of the system needs from a search space, so it can be referred to by id.
 * Architectures travel as strings (`format` output); `Cell` is the parsed form.
 */
export interface SearchSpace<Cell, CostOptions = unknown, Cost = unknown> {
  readonly id: string;
  readonly name: string;
  /** Number of distinct architecture strings. */
  readonly size: number;
  /** Node-op vocabulary of `toDag` (Dag.ops index into it). */
  readonly dagVocabulary: readonly string[];
  parse(archString: string): Cell;
  format(cell: Cell): string;
  /** Equal iff two cells are isomorphic (compute the same function). */
  canonicalString(cell: Cell): string;
  /** sha256 hex of canonicalString. */
  canonicalHash(cell: Cell): string;
  /** Uniform sample over the whole space. */
  sample(rng: Random): Cell;
  /**
   * A random neighbour of `cell` under the space's standard mutation (used by evolution).
   * Returns a new cell that differs from `cell`, though possibly isomorphic to it; `cell` is
   * left unchanged. Deterministic given the rng's state.
   */
  mutate(cell: Cell, rng: Random): Cell;
  enumerate(): Iterable<Cell>;
  /** Graph-model encoding (operations on nodes, topologically ordered). */
  toDag(cell: Cell): Dag;
  fromDag(dag: Dag): Cell;
  /** What to draw: nodes and the edges that carry data (see CellGraph). */
  graph(cell: Cell): CellGraph;
  cost(cell: Cell, options?: CostOptions): Cost;
}
