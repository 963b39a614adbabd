import { NB201_EDGES, type Nb201Cell, type Nb201Edges } from "./cell.ts";
import { isNb201Operation, NB201_OPERATIONS, type Nb201Operation } from "./operations.ts";

/*
 * NAS-Bench-201 architecture strings: `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`.
 * Group j (1-based) lists the edges into node j, the i-th token being the edge from node i.
 * That is exactly NB201_EDGES order, so parsing just reads the tokens left to right.
 */

const TARGET_NODES = [1, 2, 3] as const;

function fail(input: string, reason: string): never {
  throw new Error(`Malformed NAS-Bench-201 architecture string "${input}": ${reason}`);
}

/** Parses an architecture string; throws an Error naming the problem for malformed input. */
export function parseArchString(input: string): Nb201Cell {
  if (typeof input !== "string") {
    throw new Error(`NAS-Bench-201 architecture string must be a string, got ${typeof input}`);
  }
  const groups = input.split("+");
  if (groups.length !== TARGET_NODES.length) {
    fail(
      input,
      `expected ${TARGET_NODES.length} node groups separated by "+", got ${groups.length}`,
    );
  }
  const ops: Nb201Operation[] = [];
  groups.forEach((group, g) => {
    const node = g + 1;
    if (group.length < 2 || !group.startsWith("|") || !group.endsWith("|")) {
      fail(input, `group for node ${node} ("${group}") must start and end with "|"`);
    }
    const tokens = group.slice(1, -1).split("|");
    if (tokens.length !== node) {
      fail(input, `node ${node} must have ${node} incoming edge(s), got ${tokens.length}`);
    }
    tokens.forEach((token, source) => {
      const tilde = token.lastIndexOf("~");
      if (tilde <= 0)
        fail(input, `edge token "${token}" into node ${node} must look like "op~${source}"`);
      const op = token.slice(0, tilde);
      const from = token.slice(tilde + 1);
      if (!isNb201Operation(op)) {
        fail(
          input,
          `unknown operation "${op}" into node ${node} (expected one of ${NB201_OPERATIONS.join(", ")})`,
        );
      }
      if (from !== String(source)) {
        fail(
          input,
          `edge ${source + 1} into node ${node} must come from node ${source}, got "~${from}"`,
        );
      }
      ops.push(op);
    });
  });
  return { edges: ops as unknown as Nb201Edges };
}

/** Formats a cell as the NAS-Bench-201 architecture string (inverse of parseArchString). */
export function formatArchString(cell: Nb201Cell): string {
  return TARGET_NODES.map((node) => {
    const tokens = NB201_EDGES.flatMap((edge, i) =>
      edge.to === node ? [`${cell.edges[i]}~${edge.from}`] : [],
    );
    return `|${tokens.join("|")}|`;
  }).join("+");
}
