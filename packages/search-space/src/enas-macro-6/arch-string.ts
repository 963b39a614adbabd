import { ENAS_LAYER_COUNT, ENAS_OPERATIONS, type EnasCell } from "./cell.ts";

/*
 * ENAS-6 architecture strings: the nested list `[[op0],[op1,s0],[op2,s0,s1],…]` written without
 * spaces, exactly as data/enas6/enas6.csv's `arch` column. Layer i is `[op, i skip bits]`.
 * Parsing also accepts the spaced form of D-VAE's raw final_structures6.txt
 * (`[[1], [4, 0], …]`), since it reads the list as JSON; formatting never writes spaces, so the
 * string doubles as the canonical form (canonical.ts).
 */

const LAST_OP = ENAS_OPERATIONS.length - 1;

function fail(input: string, reason: string): never {
  throw new Error(`Malformed ENAS-6 architecture string "${input}": ${reason}`);
}

/**
 * Checks that `value` is an ENAS-6 cell as a nested list (6 layers, layer i an op id 0-5 and
 * i skip bits of 0/1) and returns a fresh cell; throws naming the first problem otherwise.
 */
function readLayers(input: string, value: unknown): EnasCell {
  if (!Array.isArray(value)) fail(input, "expected a list of layers");
  if (value.length !== ENAS_LAYER_COUNT) {
    fail(input, `expected ${ENAS_LAYER_COUNT} layers, got ${value.length}`);
  }
  const ops: number[] = [];
  const skips: number[][] = [];
  value.forEach((layer: unknown, i) => {
    if (!Array.isArray(layer) || layer.length === 0) {
      fail(input, `layer ${i} must be a non-empty list [op, skip bits…]`);
    }
    const [op, ...bits] = layer as unknown[];
    if (typeof op !== "number" || !Number.isInteger(op) || op < 0 || op > LAST_OP) {
      fail(input, `layer ${i}'s op ${JSON.stringify(op)} is out of range 0-${LAST_OP}`);
    }
    if (bits.length !== i) {
      fail(input, `layer ${i} has ${bits.length} skip bits, expected ${i}`);
    }
    bits.forEach((bit, j) => {
      if (bit !== 0 && bit !== 1) {
        fail(input, `layer ${i}'s skip bit ${j} is ${JSON.stringify(bit)}, not 0 or 1`);
      }
    });
    ops.push(op);
    skips.push(bits as number[]);
  });
  return { ops, skips };
}

/** Parses an architecture string (spaces allowed); throws an Error naming the problem. */
export function parseEnasArchString(input: string): EnasCell {
  if (typeof input !== "string") {
    throw new Error(`ENAS-6 architecture string must be a string, got ${typeof input}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(input);
  } catch (error) {
    fail(input, `not JSON (${(error as Error).message})`);
  }
  return readLayers(input, value);
}

/**
 * A cell from its ops and skip bits, checked like a parsed string (so a hand-built cell cannot
 * carry an op 6 or a skip bit 2 into the rest of the system).
 */
export function createEnasCell(
  ops: readonly number[],
  skips: readonly (readonly number[])[],
): EnasCell {
  const layers = ops.map((op, i) => [op, ...(skips[i] ?? [])]);
  const text = JSON.stringify(layers);
  if (skips.length !== ops.length) fail(text, `${ops.length} ops but ${skips.length} skip lists`);
  return readLayers(text, layers);
}

/** Formats a cell as its architecture string, without spaces (inverse of parseEnasArchString). */
export function formatEnasArchString(cell: EnasCell): string {
  return `[${cell.ops.map((op, i) => `[${[op, ...(cell.skips[i] ?? [])].join(",")}]`).join(",")}]`;
}
