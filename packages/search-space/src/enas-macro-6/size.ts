import { ENAS_LAYER_COUNT, ENAS_OPERATIONS } from "./cell.ts";

/** Skip bits per cell: layer i has i of them, 0 + 1 + … + 5 = 15. */
export const ENAS_SKIP_COUNT = (ENAS_LAYER_COUNT * (ENAS_LAYER_COUNT - 1)) / 2;

/** Distinct cells (= isomorphism classes, see canonical.ts): 6^6 · 2^15 = 1,528,823,808. */
export const ENAS_SPACE_SIZE = ENAS_OPERATIONS.length ** ENAS_LAYER_COUNT * 2 ** ENAS_SKIP_COUNT;
