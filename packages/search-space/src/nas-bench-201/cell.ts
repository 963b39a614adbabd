import { isNb201Operation, type Nb201Operation } from "./operations.ts";

/** Number of intermediate-plus-output nodes is 3; the cell has nodes 0 (input) .. 3 (output). */
export const NB201_NODE_COUNT = 4;

/**
 * The six edges of the cell, in the order they appear in the architecture string:
 * (0→1), (0→2), (1→2), (0→3), (1→3), (2→3).
 */
export const NB201_EDGES: readonly { readonly from: number; readonly to: number }[] = [
  { from: 0, to: 1 },
  { from: 0, to: 2 },
  { from: 1, to: 2 },
  { from: 0, to: 3 },
  { from: 1, to: 3 },
  { from: 2, to: 3 },
];

export const NB201_EDGE_COUNT = 6;

export type Nb201Edges = readonly [
  Nb201Operation,
  Nb201Operation,
  Nb201Operation,
  Nb201Operation,
  Nb201Operation,
  Nb201Operation,
];

/** A NAS-Bench-201 cell: one operation per edge, in NB201_EDGES order. */
export interface Nb201Cell {
  readonly edges: Nb201Edges;
}

/** Builds a cell from a plain array, checking there are exactly six valid operations. */
export function createCell(edges: readonly string[]): Nb201Cell {
  if (edges.length !== NB201_EDGE_COUNT) {
    throw new Error(`A NAS-Bench-201 cell has ${NB201_EDGE_COUNT} edges, got ${edges.length}`);
  }
  edges.forEach((op, i) => {
    if (!isNb201Operation(op)) throw new Error(`Edge ${i} has unknown operation "${op}"`);
  });
  return { edges: [...edges] as unknown as Nb201Edges };
}

/** The operation on edge `from → to`. */
export function edgeOperation(cell: Nb201Cell, from: number, to: number): Nb201Operation {
  const i = NB201_EDGES.findIndex((e) => e.from === from && e.to === to);
  const op = cell.edges[i];
  if (i < 0 || op === undefined) throw new Error(`The cell has no edge ${from}→${to}`);
  return op;
}
