// NAS-Bench-201 cells in the graph VAE's form, for the tests.
import { loadNasBench201Table } from "@nasvae/evaluators";
import {
  createRandom,
  NB201_NODE_DAG_ADJACENCY,
  nasBench201SearchSpace as space,
} from "@nasvae/search-space";
import { type GraphSpace, type LabelledGraph, type PaddedGraph, padGraph } from "../src/index.ts";

export const nb201GraphSpace: GraphSpace = {
  vocabulary: space.dagVocabulary,
  maxNodes: 8,
  inputOp: 0,
  outputOp: space.dagVocabulary.length - 1,
  variableSize: false,
  fixedAdjacency: NB201_NODE_DAG_ADJACENCY,
};

export function toGraph(cell: ReturnType<typeof space.parse>): PaddedGraph {
  const dag = space.toDag(cell);
  return padGraph(nb201GraphSpace, dag.ops, dag.adjacency);
}

export const allGraphs: PaddedGraph[] = [...space.enumerate()].map(toGraph);

/** FLOPs of every cell of allGraphs, in the same order, from the space's cost model. */
export function allFlops(): number[] {
  return [...space.enumerate()].map((cell) => space.cost(cell).flops);
}

/** `count` distinct random cells with their CIFAR-10 validation accuracy and FLOPs. */
export async function labelledCells(count: number, seed: number): Promise<LabelledGraph[]> {
  const table = await loadNasBench201Table();
  const rng = createRandom(seed);
  const rows = [...table.rows];
  const picked: LabelledGraph[] = [];
  while (picked.length < count) {
    const [row] = rows.splice(rng.int(rows.length), 1);
    if (!row) break;
    picked.push({
      graph: toGraph(space.parse(row.arch_str)),
      accuracy: row.cifar10_valid_acc,
      flops: row.flops_m * 1e6,
    });
  }
  return picked;
}

export function sameGraph(a: PaddedGraph, b: PaddedGraph): boolean {
  return (
    a.classes.every((cls, i) => cls === b.classes[i]) &&
    a.adjacency.every((row, i) => row.every((value, j) => value === b.adjacency[i]?.[j]))
  );
}

export function kendallTau(x: readonly number[], y: readonly number[]): number {
  let concordant = 0;
  let discordant = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const s = Math.sign(
        ((x[i] as number) - (x[j] as number)) * ((y[i] as number) - (y[j] as number)),
      );
      if (s > 0) concordant++;
      else if (s < 0) discordant++;
    }
  }
  return (concordant - discordant) / Math.max(1, concordant + discordant);
}
