import type { Random } from "../random.ts";
import { ENAS_LAYER_COUNT, ENAS_OPERATIONS, type EnasCell } from "./cell.ts";
import { ENAS_SKIP_COUNT } from "./size.ts";

/*
 * The standard mutation of the ENAS-6 space: one edit, either one layer's op changed to one of
 * the 5 others (6 × 5 = 30 edits) or one of the 15 skip bits flipped. Every edit gives a
 * different string, hence (canonical.ts) a different architecture.
 */

const OTHER_OPS = ENAS_OPERATIONS.length - 1;
const OP_EDITS = ENAS_LAYER_COUNT * OTHER_OPS;

/** Number of one-edit neighbours of every cell: 30 op changes + 15 skip flips = 45. */
export const ENAS_NEIGHBOUR_COUNT = OP_EDITS + ENAS_SKIP_COUNT;

/**
 * The `edit`-th neighbour (0 ≤ edit < 45) in enasNeighbours' order: edits 0-29 change layer
 * ⌊edit/5⌋'s op to the (edit mod 5)-th other op in ENAS_OPERATIONS order; edits 30-44 flip the
 * skip bits in reading order (layer 1's bit 0, layer 2's bits 0 and 1, …).
 */
function editedCell(cell: EnasCell, edit: number): EnasCell {
  const ops = [...cell.ops];
  const skips = cell.skips.map((bits) => [...bits]);
  if (edit < OP_EDITS) {
    const layer = Math.floor(edit / OTHER_OPS);
    const rank = edit % OTHER_OPS;
    const current = ops[layer] ?? 0;
    ops[layer] = rank < current ? rank : rank + 1;
    return { ops, skips };
  }
  let bit = edit - OP_EDITS;
  for (let layer = 1; layer < ENAS_LAYER_COUNT; layer++) {
    const bits = skips[layer];
    if (bits === undefined) break;
    if (bit < layer) {
      bits[bit] = 1 - (bits[bit] ?? 0);
      return { ops, skips };
    }
    bit -= layer;
  }
  throw new Error(`ENAS-6 edit ${edit} is out of range 0-${ENAS_NEIGHBOUR_COUNT - 1}`);
}

/**
 * A uniformly random one of the 45 one-edit neighbours (exactly `enasNeighbours(cell)[k]` for
 * one rng.int(45) draw k). `cell` is not modified.
 */
export function mutateEnasCell(cell: EnasCell, rng: Random): EnasCell {
  return editedCell(cell, rng.int(ENAS_NEIGHBOUR_COUNT));
}

/** All 45 one-edit neighbours: the 30 op changes layer by layer, then the 15 skip flips. */
export function enasNeighbours(cell: EnasCell): EnasCell[] {
  return Array.from({ length: ENAS_NEIGHBOUR_COUNT }, (_, edit) => editedCell(cell, edit));
}

/** Number of edits between two cells: layers whose ops differ plus skip bits that differ. */
export function enasDistance(a: EnasCell, b: EnasCell): number {
  let count = 0;
  for (let layer = 0; layer < ENAS_LAYER_COUNT; layer++) {
    if (a.ops[layer] !== b.ops[layer]) count++;
    const bitsA = a.skips[layer];
    const bitsB = b.skips[layer];
    if (bitsA === undefined || bitsB === undefined) continue;
    for (let j = 0; j < layer; j++) if (bitsA[j] !== bitsB[j]) count++;
  }
  return count;
}
