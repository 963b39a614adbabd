import type { Random } from "../random.ts";
import { NB201_EDGE_COUNT, type Nb201Cell, type Nb201Edges } from "./cell.ts";
import { NB201_OPERATIONS, operationIndex } from "./operations.ts";

/**
 * The standard NAS-Bench-201 mutation (as used by regularised evolution on this space): pick one
 * of the six edges uniformly, and replace its operation by one of the other four, uniformly.
 * The result differs from `cell` on exactly one edge (it may still be isomorphic to it, e.g. when
 * the edge is dead). `cell` is not modified. Two rng.int calls per mutation.
 */
export function mutateCell(cell: Nb201Cell, rng: Random): Nb201Cell {
  const edge = rng.int(NB201_EDGE_COUNT);
  const current = cell.edges[edge];
  if (current === undefined) throw new Error(`The cell has no edge ${edge}`);
  // Skipping the current op: offsets 1..4 from it, modulo 5, are the other four ops.
  const offset = 1 + rng.int(NB201_OPERATIONS.length - 1);
  const next =
    NB201_OPERATIONS[(operationIndex(current) + offset) % NB201_OPERATIONS.length] ?? current;
  const edges = [...cell.edges];
  edges[edge] = next;
  return { edges: edges as unknown as Nb201Edges };
}

/**
 * Every cell one standard mutation from `cell`: each edge in turn, each of the four other
 * operations in NB201_OPERATIONS order (24 cells, all different strings).
 */
export function cellNeighbours(cell: Nb201Cell): Nb201Cell[] {
  const neighbours: Nb201Cell[] = [];
  cell.edges.forEach((current, edge) => {
    for (const op of NB201_OPERATIONS) {
      if (op === current) continue;
      const edges = [...cell.edges];
      edges[edge] = op;
      neighbours.push({ edges: edges as unknown as Nb201Edges });
    }
  });
  return neighbours;
}

/** Number of edges whose operations differ: the standard mutations from one cell to the other. */
export function cellDistance(a: Nb201Cell, b: Nb201Cell): number {
  return a.edges.reduce((count, op, edge) => count + (op === b.edges[edge] ? 0 : 1), 0);
}
