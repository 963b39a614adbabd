import { type Dag, oneHot, validateDag } from "../dag.ts";
import { NB201_EDGES, NB201_NODE_COUNT, type Nb201Cell, type Nb201Edges } from "./cell.ts";
import { NB201_OPERATIONS, type Nb201Operation, operationIndex } from "./operations.ts";

/*
 * Two graph encodings of a cell:
 *  1. Edge-labelled DAG (`toEdgeGraph`): NB201's own view. 4 nodes (0 input .. 3 output),
 *     the 6 edges i→j (i < j) each carry one operation. The structure is fixed, so the
 *     adjacency always has all 6 edges; `none` is an op label like the others.
 *  2. Operations-on-nodes DAG (`toNodeDag`): the conversion used by D-VAE / arch2vec-style
 *     graph VAEs for NB201. 8 nodes: 0 = input, 1..6 = one node per cell edge (NB201_EDGES
 *     order, carrying that edge's op), 7 = output. Op node (a→b) feeds every op node of an
 *     edge leaving b, or the output if b = 3; the input feeds op nodes of edges leaving 0.
 *     Ops index NB201_NODE_DAG_VOCABULARY. Topologically ordered (upper-triangular adjacency).
 */

/** Edge-labelled DAG: adjacency 4x4 (upper triangular) + one op per edge. */
export interface Nb201EdgeGraph {
  /** adjacency[i][j] === 1 for each of the six cell edges i→j. */
  readonly adjacency: number[][];
  /** Op index (into NB201_OPERATIONS) per edge, in NB201_EDGES order. */
  readonly edgeOps: number[];
  /** 6x5 one-hot of edgeOps. */
  readonly edgeOpOneHot: number[][];
}

export function toEdgeGraph(cell: Nb201Cell): Nb201EdgeGraph {
  const adjacency = Array.from({ length: NB201_NODE_COUNT }, () =>
    new Array<number>(NB201_NODE_COUNT).fill(0),
  );
  for (const { from, to } of NB201_EDGES) {
    const row = adjacency[from];
    if (row) row[to] = 1;
  }
  const edgeOps = cell.edges.map(operationIndex);
  return { adjacency, edgeOps, edgeOpOneHot: oneHot(edgeOps, NB201_OPERATIONS.length) };
}

/** Node types of the operations-on-nodes DAG: input, the five ops, output. */
export const NB201_NODE_DAG_VOCABULARY = ["input", ...NB201_OPERATIONS, "output"] as const;

export type Nb201NodeDagOp = (typeof NB201_NODE_DAG_VOCABULARY)[number];

const INPUT_NODE = 0;
const OUTPUT_NODE = NB201_EDGES.length + 1;
const NODE_DAG_SIZE = NB201_EDGES.length + 2;
const OUTPUT_OP = NB201_NODE_DAG_VOCABULARY.length - 1;
/** Vocabulary index of a cell op (input takes 0). */
const nodeOpIndex = (op: Nb201Operation): number => operationIndex(op) + 1;

function buildNodeDagAdjacency(): number[][] {
  const adjacency = Array.from({ length: NODE_DAG_SIZE }, () =>
    new Array<number>(NODE_DAG_SIZE).fill(0),
  );
  const connect = (from: number, to: number) => {
    const row = adjacency[from];
    if (row) row[to] = 1;
  };
  NB201_EDGES.forEach((edge, e) => {
    const opNode = e + 1;
    if (edge.from === 0) connect(INPUT_NODE, opNode);
    if (edge.to === NB201_NODE_COUNT - 1) connect(opNode, OUTPUT_NODE);
    NB201_EDGES.forEach((next, f) => {
      if (next.from === edge.to) connect(opNode, f + 1);
    });
  });
  return adjacency;
}

/** The fixed 8x8 adjacency of the operations-on-nodes DAG (same for every cell). */
export const NB201_NODE_DAG_ADJACENCY: readonly (readonly number[])[] = buildNodeDagAdjacency();

export function toNodeDag(cell: Nb201Cell): Dag {
  return {
    ops: [INPUT_NODE, ...cell.edges.map(nodeOpIndex), OUTPUT_OP],
    adjacency: NB201_NODE_DAG_ADJACENCY.map((row) => [...row]),
  };
}

/** One-hot node features (8 x 7) of an operations-on-nodes DAG. */
export function nodeDagOneHot(dag: Dag): number[][] {
  return oneHot(dag.ops, NB201_NODE_DAG_VOCABULARY.length);
}

/** Inverse of toNodeDag (e.g. for decoded graphs); throws if `dag` is not an NB201 cell. */
export function fromNodeDag(dag: Dag): Nb201Cell {
  validateDag(dag, NB201_NODE_DAG_VOCABULARY.length);
  if (dag.ops.length !== NODE_DAG_SIZE) {
    throw new Error(`An NB201 node DAG has ${NODE_DAG_SIZE} nodes, got ${dag.ops.length}`);
  }
  if (dag.ops[INPUT_NODE] !== INPUT_NODE || dag.ops[OUTPUT_NODE] !== OUTPUT_OP) {
    throw new Error("An NB201 node DAG must start with an input node and end with an output node");
  }
  NB201_NODE_DAG_ADJACENCY.forEach((row, i) => {
    row.forEach((value, j) => {
      if (dag.adjacency[i]?.[j] !== value) {
        throw new Error(`NB201 node DAG adjacency[${i}][${j}] must be ${value}`);
      }
    });
  });
  const edges = dag.ops.slice(1, -1).map((index, e) => {
    const op = NB201_OPERATIONS[index - 1];
    if (op === undefined)
      throw new Error(`NB201 node DAG op node ${e + 1} has no cell op (${index})`);
    return op;
  });
  return { edges: edges as unknown as Nb201Edges };
}
