import { type Dag, validateDag } from "../dag.ts";
import { ENAS_LAYER_COUNT, ENAS_OPERATIONS, type EnasCell } from "./cell.ts";

/*
 * The graph-model encoding of D-VAE (`decode_ENAS_to_igraph` in its util.py), so that our graph
 * VAE sees the graphs the paper's did: node 0 the input, node i+1 layer i (type op + 2), node 7
 * the output. Layer i has an edge from node i (its predecessor) and one from node j for every
 * skip bit j that is 1; the output has one edge, from node 6.
 */

/** D-VAE's type ids: input 0, output 1, then ENAS op k as k + 2. */
export const ENAS_DAG_VOCABULARY = ["input", "output", ...ENAS_OPERATIONS] as const;

const INPUT_TYPE = 0;
const OUTPUT_TYPE = 1;
const FIRST_OP_TYPE = 2;
/** input + 6 layers + output. */
export const ENAS_DAG_NODE_COUNT = ENAS_LAYER_COUNT + 2;
const OUTPUT_NODE = ENAS_DAG_NODE_COUNT - 1;

/** The cell as D-VAE's 8-node DAG (ops on nodes). */
export function enasToDag(cell: EnasCell): Dag {
  const adjacency = Array.from({ length: ENAS_DAG_NODE_COUNT }, () =>
    new Array<number>(ENAS_DAG_NODE_COUNT).fill(0),
  );
  const ops = [INPUT_TYPE];
  for (let layer = 0; layer < ENAS_LAYER_COUNT; layer++) {
    const node = layer + 1;
    ops.push((cell.ops[layer] ?? 0) + FIRST_OP_TYPE);
    (adjacency[node - 1] as number[])[node] = 1;
    (cell.skips[layer] ?? []).forEach((bit, j) => {
      if (bit === 1) (adjacency[j] as number[])[node] = 1;
    });
  }
  ops.push(OUTPUT_TYPE);
  (adjacency[OUTPUT_NODE - 1] as number[])[OUTPUT_NODE] = 1;
  return { ops, adjacency };
}

function invalid(reason: string): never {
  throw new Error(`Invalid ENAS-6 DAG: ${reason}`);
}

/**
 * The cell a DAG encodes, if it is a valid ENAS graph in D-VAE's sense (`is_valid_ENAS`): 8
 * nodes, topologically ordered 0/1 adjacency, node 0 the only input, node 7 the only output,
 * nodes 1-6 typed as ops, an edge i → i+1 for every i, and the output's only in-edge from node
 * 6. Throws an Error naming the first violation otherwise (a graph VAE counts those decodes as
 * invalid). Every other edge j → i+1 (j < i) is layer i's skip bit j.
 */
export function enasFromDag(dag: Dag): EnasCell {
  if (dag.ops.length !== ENAS_DAG_NODE_COUNT) {
    invalid(`${dag.ops.length} nodes, expected ${ENAS_DAG_NODE_COUNT}`);
  }
  try {
    validateDag(dag, ENAS_DAG_VOCABULARY.length);
  } catch (error) {
    invalid((error as Error).message);
  }
  const type = (node: number) => ENAS_DAG_VOCABULARY[dag.ops[node] ?? -1];
  const edge = (from: number, to: number) => dag.adjacency[from]?.[to] === 1;
  if (dag.ops[0] !== INPUT_TYPE) invalid(`node 0 is ${type(0)}, expected input`);
  if (dag.ops[OUTPUT_NODE] !== OUTPUT_TYPE) {
    invalid(`node ${OUTPUT_NODE} is ${type(OUTPUT_NODE)}, expected output`);
  }
  for (let node = 1; node < OUTPUT_NODE; node++) {
    if ((dag.ops[node] ?? 0) < FIRST_OP_TYPE) {
      invalid(`node ${node} is ${type(node)}, expected a layer op`);
    }
  }
  for (let node = 0; node < OUTPUT_NODE; node++) {
    if (!edge(node, node + 1)) invalid(`no edge ${node} → ${node + 1} (the chain)`);
  }
  for (let node = 0; node < OUTPUT_NODE - 1; node++) {
    if (edge(node, OUTPUT_NODE)) {
      invalid(`edge ${node} → ${OUTPUT_NODE}: the output is fed by node ${OUTPUT_NODE - 1} only`);
    }
  }
  const ops: number[] = [];
  const skips: number[][] = [];
  for (let layer = 0; layer < ENAS_LAYER_COUNT; layer++) {
    const node = layer + 1;
    ops.push((dag.ops[node] ?? FIRST_OP_TYPE) - FIRST_OP_TYPE);
    skips.push(Array.from({ length: layer }, (_, j) => (edge(j, node) ? 1 : 0)));
  }
  return { ops, skips };
}
