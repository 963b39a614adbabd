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
  /**
   * Every cell one standard mutation away from `cell` (all the cells `mutate` can return), in a
   * fixed order; local search walks them.
   */
  neighbours(cell: Cell): Cell[];
  /**
   * Number of standard mutations between two cells (0 iff their strings are equal): the metric
   * behind `neighbours`, and how a domain finds the cells nearest one outside it.
   */
  distance(a: Cell, b: Cell): number;
  /**
   * Every cell, where the space is small enough to list (NAS-Bench-201's 15,625). Absent on
   * spaces that cannot be enumerated (ENAS-6's 1.5e9): callers sample those instead.
   */
  enumerate?(): Iterable<Cell>;
  /** Graph-model encoding (operations on nodes, topologically ordered). */
  toDag(cell: Cell): Dag;
  fromDag(dag: Dag): Cell;
  /** What to draw: nodes and the edges that carry data (see CellGraph). */
  graph(cell: Cell): CellGraph;
  cost(cell: Cell, options?: CostOptions): Cost;
}

/**
 * A search space restricted to a finite domain: the cells an evaluator can score (a table's
 * rows). `sample` and `enumerate` range over the domain only, `size` is the domain's size,
 * `neighbours` and `mutate` stay inside it (the domain cells nearest the cell under `distance`),
 * and strategies map a cell from outside (a decoded one) to the nearest domain cells.
 * Built by `restrictToDomain` (domain.ts); `id` stays the base space's.
 */
export interface DomainSearchSpace<Cell, CostOptions = unknown, Cost = unknown>
  extends SearchSpace<Cell, CostOptions, Cost> {
  readonly base: SearchSpace<Cell, CostOptions, Cost>;
  enumerate(): Iterable<Cell>;
  /** True iff the cell (or a cell isomorphic to it) is in the domain. */
  contains(cell: Cell): boolean;
  /**
   * The `k` domain cells nearest `cell` under `distance` (the cell itself first when it is in
   * the domain), nearest first, ties in domain order.
   */
  nearest(cell: Cell, k: number): Cell[];
}
