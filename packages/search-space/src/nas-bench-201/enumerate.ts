import { NB201_EDGE_COUNT, type Nb201Cell, type Nb201Edges } from "./cell.ts";
import { NB201_OPERATIONS, type Nb201Operation, operationIndex } from "./operations.ts";

/*
 * Ordinals: each cell read as a base-5 number, edge 0 most significant, digits =
 * NB201_OPERATIONS indices. This is NOT the NAS-Bench-201 arch_index: the benchmark's index
 * order is a fixed permutation without a formula (checked on the table); look arch_index up
 * in the table (evaluators package) instead.
 */

export const NB201_SPACE_SIZE = NB201_OPERATIONS.length ** NB201_EDGE_COUNT; // 15,625

export function cellOrdinal(cell: Nb201Cell): number {
  return cell.edges.reduce((acc, op) => acc * NB201_OPERATIONS.length + operationIndex(op), 0);
}

export function cellAtOrdinal(ordinal: number): Nb201Cell {
  if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= NB201_SPACE_SIZE) {
    throw new Error(
      `NB201 cell ordinal must be an integer in [0, ${NB201_SPACE_SIZE}), got ${ordinal}`,
    );
  }
  const edges: Nb201Operation[] = new Array(NB201_EDGE_COUNT);
  let rest = ordinal;
  for (let i = NB201_EDGE_COUNT - 1; i >= 0; i--) {
    edges[i] = NB201_OPERATIONS[rest % NB201_OPERATIONS.length] ?? "none";
    rest = Math.floor(rest / NB201_OPERATIONS.length);
  }
  return { edges: edges as unknown as Nb201Edges };
}

/** All 15,625 cells, in ordinal order. */
export function* allCells(): Generator<Nb201Cell> {
  for (let i = 0; i < NB201_SPACE_SIZE; i++) yield cellAtOrdinal(i);
}
