/** The five candidate operations on every NAS-Bench-201 cell edge, in NB201's own order. */
export const NB201_OPERATIONS = [
  "none",
  "skip_connect",
  "nor_conv_1x1",
  "nor_conv_3x3",
  "avg_pool_3x3",
] as const;

export type Nb201Operation = (typeof NB201_OPERATIONS)[number];

const OPERATION_SET: ReadonlySet<string> = new Set(NB201_OPERATIONS);

export function isNb201Operation(value: string): value is Nb201Operation {
  return OPERATION_SET.has(value);
}

/** Index of an operation in NB201_OPERATIONS (the one-hot position). */
export function operationIndex(op: Nb201Operation): number {
  return NB201_OPERATIONS.indexOf(op);
}
