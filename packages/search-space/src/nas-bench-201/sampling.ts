import type { Random } from "../random.ts";
import type { Nb201Cell } from "./cell.ts";
import { cellAtOrdinal, NB201_SPACE_SIZE } from "./enumerate.ts";

/** A cell drawn uniformly from all 5^6 = 15,625 cells (one rng.int call per sample). */
export function sampleCell(rng: Random): Nb201Cell {
  return cellAtOrdinal(rng.int(NB201_SPACE_SIZE));
}
