import { createHash } from "node:crypto";
import { NB201_EDGES, NB201_NODE_COUNT, type Nb201Cell } from "./cell.ts";

/**
 * Canonical string of a cell's isomorphism class: NATS-Bench `get_unique_str`
 * (`Structure.to_unique_str(consider_zero=True)`), reproduced exactly; it equals the table's
 * `unique_str` on all 15,625 rows. Rules, node by node (node 0 is "0"):
 *   - each incoming edge gives one term:
 *       `none`, or a source whose string is exactly "#"  -> "#"  (zero)
 *       `skip_connect`                                   -> the source's string, unchanged
 *       any other op                                     -> `(<source string>)@<op>`
 *   - the node's string is its terms sorted by code point (Python `sorted`) and joined by "+".
 *     The terms themselves are not split, so a skip-passed "a+b" sorts as one term.
 * The cell's canonical string is the string of node 3 (the output).
 * Note "#" only propagates when a node is a single zero term: a node "#+#" (two dead inputs)
 * is kept as text, as NATS-Bench does; we keep that to match the benchmark's classes.
 */
export function canonicalString(cell: Nb201Cell): string {
  const nodes: string[] = ["0"];
  for (let node = 1; node < NB201_NODE_COUNT; node++) {
    const terms: string[] = [];
    NB201_EDGES.forEach((edge, i) => {
      if (edge.to !== node) return;
      const op = cell.edges[i];
      const source = nodes[edge.from] ?? "";
      if (op === "none" || source === "#") terms.push("#");
      else if (op === "skip_connect") terms.push(source);
      else terms.push(`(${source})@${op}`);
    });
    // Default sort compares UTF-16 code units; the strings are ASCII, so this is Python's order.
    nodes.push(terms.sort().join("+"));
  }
  return nodes[NB201_NODE_COUNT - 1] ?? "";
}

/** sha256 (hex) of canonicalString: a fixed-length key for the isomorphism class. */
export function canonicalHash(cell: Nb201Cell): string {
  return createHash("sha256").update(canonicalString(cell)).digest("hex");
}
