/**
 * ENAS 6-layer macro space (Pham et al. 2018; the space D-VAE and Li et al. 2020 evaluate on):
 * a chain of six layers, each picking an operation and which earlier layers also feed it.
 * Data and meaning: data/enas6/README.md.
 */

/** ENAS's op ids, in order: the arch string's integers index this list. */
export const ENAS_OPERATIONS = [
  "conv3x3",
  "sep_conv3x3",
  "conv5x5",
  "sep_conv5x5",
  "avg_pool3x3",
  "max_pool3x3",
] as const;

export type EnasOperation = (typeof ENAS_OPERATIONS)[number];

export const ENAS_LAYER_COUNT = 6;

/**
 * One architecture: the arch string `[[op0],[op1,s],[op2,s,s],…]` as data. `ops[i]` is layer i's
 * op id (0-5, ENAS_OPERATIONS). `skips[i]` has i entries, one per earlier *node* of D-VAE's DAG
 * (node 0 = the stem's output, node j = layer j-1's output): `skips[i][j] === 1` iff node j also
 * feeds layer i. Layer i is always fed by its predecessor (node i: layer i-1, or the stem for
 * layer 0), so the skips of layer i reach the stem and layers 0…i-2 (ENAS's `prev_layers[j]`);
 * `skips[0]` is empty and `skips[1][0]` is a skip from the stem.
 */
export interface EnasCell {
  readonly ops: readonly number[];
  readonly skips: readonly (readonly number[])[];
}
