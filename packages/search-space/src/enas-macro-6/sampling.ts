import type { Random } from "../random.ts";
import { ENAS_LAYER_COUNT, ENAS_OPERATIONS, type EnasCell } from "./cell.ts";

/**
 * A cell drawn uniformly from all 6^6 · 2^15 cells: layer by layer, the op uniform over the six
 * ops, then each of its skip bits a fair coin (21 rng.int calls per sample, so the same rng
 * state always gives the same cell).
 */
export function sampleEnasCell(rng: Random): EnasCell {
  const ops: number[] = [];
  const skips: number[][] = [];
  for (let layer = 0; layer < ENAS_LAYER_COUNT; layer++) {
    ops.push(rng.int(ENAS_OPERATIONS.length));
    skips.push(Array.from({ length: layer }, () => rng.int(2)));
  }
  return { ops, skips };
}
