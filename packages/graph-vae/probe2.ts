import { NB201_NODE_DAG_ADJACENCY, nasBench201SearchSpace as space } from "@nasvae/search-space";
import {
  defaultGraphVaeConfig,
  ensureBackend,
  type GraphSpace,
  GraphVaeModel,
  padGraph,
  tf,
} from "./src/index.ts";
import { jointLoss } from "./src/loss.ts";
import { graphTensors } from "./src/tensors.ts";

console.log(await ensureBackend());
const gs: GraphSpace = {
  vocabulary: space.dagVocabulary,
  maxNodes: 8,
  inputOp: 0,
  outputOp: 6,
  variableSize: false,
  fixedAdjacency: NB201_NODE_DAG_ADJACENCY,
};
const cells = [...space.enumerate()].slice(0, 96);
const graphs = cells.map((c) => {
  const d = space.toDag(c);
  return padGraph(gs, d.ops, d.adjacency);
});
const model = new GraphVaeModel(gs, defaultGraphVaeConfig, 1);
const batch = graphTensors(gs, graphs);
function time(label: string, f: () => void, n = 20) {
  f();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) f();
  console.log(label, ((performance.now() - t0) / n).toFixed(2), "ms");
}
time("encode", () =>
  tf.tidy(() => {
    model.encode(batch).mu.dataSync();
  }),
);
time("loss fwd", () =>
  tf.tidy(() => {
    jointLoss(model, batch, null, 1).total.dataSync();
  }),
);
const opt = tf.train.adam(1e-3);
time("minimize", () =>
  tf.tidy(() => {
    opt.minimize(() => jointLoss(model, batch, null, 1).total);
  }),
);
time("grads only", () =>
  tf.tidy(() => {
    const g = tf.variableGrads(() => jointLoss(model, batch, null, 1).total);
    Object.values(g.grads)[0]!.dataSync();
  }),
);
const profile = await tf.profile(() =>
  tf.tidy(() => {
    const g = tf.variableGrads(() => jointLoss(model, batch, null, 1).total);
    Object.values(g.grads)[0]!.dataSync();
  }),
);
const byKernel = new Map<string, number>();
for (const k of profile.kernels)
  byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
console.log(
  [...byKernel]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([k, v]) => `${k}:${v.toFixed(1)}`)
    .join(" "),
);
