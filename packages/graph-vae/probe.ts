import {
  createRandom,
  NB201_NODE_DAG_ADJACENCY,
  nasBench201SearchSpace as space,
} from "@nasvae/search-space";
import { ensureBackend, type GraphSpace, GraphVaeSession, padGraph, tf } from "./src/index.ts";

console.log(await ensureBackend());
const gs: GraphSpace = {
  vocabulary: space.dagVocabulary,
  maxNodes: 8,
  inputOp: 0,
  outputOp: 6,
  variableSize: false,
  fixedAdjacency: NB201_NODE_DAG_ADJACENCY,
};
const cells = [...space.enumerate()];
const graphs = cells.map((c) => {
  const d = space.toDag(c);
  return padGraph(gs, d.ops, d.adjacency);
});
const session = GraphVaeSession.create(gs, graphs, {}, 1);
const rng = createRandom(1);
for (let i = 0; i < 5; i++) {
  const r = session.train([], { steps: 200, rng });
  const held = graphs.slice(0, 500);
  const dec = session.decode(session.encode(held));
  const exact = dec.filter((d, k) => d.classes.every((c, j) => c === held[k]?.classes[j])).length;
  console.log(
    i,
    (r.milliseconds / r.steps).toFixed(1),
    "ms/step",
    JSON.stringify(r.loss),
    "recon",
    exact / 500,
    tf.memory().numTensors,
  );
}
