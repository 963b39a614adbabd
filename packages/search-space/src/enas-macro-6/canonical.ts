import { createHash } from "node:crypto";
import { formatEnasArchString } from "./arch-string.ts";
import type { EnasCell } from "./cell.ts";

/**
 * Canonical string of a cell's isomorphism class: the architecture string itself. Every layer
 * is fed by its predecessor (the chain edge), so the DAG has a Hamiltonian path and exactly one
 * topological order; an isomorphism must keep that order, hence map each node to itself, so two
 * cells are isomorphic iff their ops and skip bits are equal, i.e. iff their strings are.
 * (Checked on the table: its distinct strings give distinct hashes.)
 */
export function enasCanonicalString(cell: EnasCell): string {
  return formatEnasArchString(cell);
}

/** sha256 (hex) of enasCanonicalString, like the NAS-Bench-201 space's canonicalHash. */
export function enasCanonicalHash(cell: EnasCell): string {
  return createHash("sha256").update(enasCanonicalString(cell)).digest("hex");
}
