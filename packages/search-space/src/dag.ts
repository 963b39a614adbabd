/**
 * Space-independent graph encoding for graph models (e.g. a graph VAE): nodes carry an op
 * (index into a vocabulary), edges are a 0/1 adjacency matrix. Nodes are topologically
 * ordered, so the adjacency is strictly upper triangular. A NAS-Bench-101-like space fits too.
 */
export interface Dag {
  /** Op index per node, into the vocabulary the encoder documents. */
  readonly ops: readonly number[];
  /** adjacency[i][j] === 1 iff there is an edge i -> j (only i < j). */
  readonly adjacency: readonly (readonly number[])[];
}

/** One-hot rows for a list of class indices. */
export function oneHot(indices: readonly number[], size: number): number[][] {
  return indices.map((index) => {
    const row = new Array<number>(size).fill(0);
    row[index] = 1;
    return row;
  });
}

/** Throws if `dag` is not a topologically ordered 0/1 DAG whose ops lie in [0, vocabularySize). */
export function validateDag(dag: Dag, vocabularySize: number): void {
  const n = dag.ops.length;
  if (dag.adjacency.length !== n) {
    throw new Error(`DAG adjacency has ${dag.adjacency.length} rows, expected ${n} (one per op)`);
  }
  dag.ops.forEach((op, i) => {
    if (!Number.isInteger(op) || op < 0 || op >= vocabularySize) {
      throw new Error(`DAG node ${i} has op ${op}, expected an integer in [0, ${vocabularySize})`);
    }
  });
  dag.adjacency.forEach((row, i) => {
    if (row.length !== n)
      throw new Error(`DAG adjacency row ${i} has ${row.length} entries, expected ${n}`);
    row.forEach((value, j) => {
      if (value !== 0 && value !== 1)
        throw new Error(`DAG adjacency[${i}][${j}] is ${value}, expected 0 or 1`);
      if (value === 1 && j <= i) {
        throw new Error(
          `DAG adjacency[${i}][${j}] is an edge that is not forward (nodes must be topologically ordered)`,
        );
      }
    });
  });
}
