import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { createRandom } from "@nasvae/search-space";
import { ensureBackend, GraphVaeSession, type LabelledGraph, tf } from "../src/index.ts";
import {
  allFlops,
  allGraphs,
  kendallTau,
  labelledCells,
  nb201GraphSpace,
  sameGraph,
} from "./nb201-fixture.ts";

const small = { unlabelledBatch: 32, labelledBatch: 32 };

describe("graph VAE on NAS-Bench-201", () => {
  let labelled: LabelledGraph[];
  before(async () => {
    assert.ok(["wasm", "cpu", "tensorflow"].includes(await ensureBackend()));
    labelled = await labelledCells(500, 3);
  });

  test("learns to reconstruct cells it was trained on", async () => {
    const cells = allGraphs.slice(0, 300);
    const session = GraphVaeSession.create(nb201GraphSpace, cells, small, 1);
    try {
      const exact = () =>
        session.decode(session.encode(cells)).filter((g, i) => sameGraph(g, cells[i] as never))
          .length / cells.length;
      const before = exact();
      const report = await session.train([], { steps: 800, rng: createRandom(1) });
      const after = exact();
      assert.ok(
        after >= 0.9,
        `reconstruction ${after} after ${report.steps} steps (before: ${before})`,
      );
      assert.ok(after > before);
      assert.ok(report.loss.nodes < 0.5, JSON.stringify(report.loss));
    } finally {
      session.dispose();
    }
  });

  test("the accuracy predictor beats a constant on held-out cells", async () => {
    const train = labelled.slice(0, 200);
    const heldOut = labelled.slice(200);
    const session = GraphVaeSession.create(nb201GraphSpace, allGraphs, small, 2);
    try {
      await session.train(train, { steps: 300, rng: createRandom(2) });
      const predicted = session.predict(heldOut.map((l) => l.graph)).map((p) => p.accuracy);
      const actual = heldOut.map((l) => l.accuracy);
      const mean = train.reduce((a, l) => a + l.accuracy, 0) / train.length;
      const mse = (values: number[]) =>
        values.reduce((a, v, i) => a + (v - (actual[i] as number)) ** 2, 0) / values.length;
      const constant = mse(actual.map(() => mean));
      const model = mse(predicted);
      const tau = kendallTau(predicted, actual);
      assert.ok(model < constant, `MSE ${model.toFixed(1)} vs constant ${constant.toFixed(1)}`);
      assert.ok(tau > 0.3, `Kendall tau ${tau.toFixed(3)}`);
      const flopsTau = kendallTau(
        session.predict(heldOut.map((l) => l.graph)).map((p) => p.flops),
        heldOut.map((l) => l.flops),
      );
      assert.ok(flopsTau > 0.5, `FLOPs Kendall tau ${flopsTau.toFixed(3)}`);
    } finally {
      session.dispose();
    }
  });

  test("a latent gradient step raises the predicted score, and a FLOPs penalty lowers predicted FLOPs", async () => {
    const session = GraphVaeSession.create(nb201GraphSpace, allGraphs, small, 4);
    try {
      await session.train(labelled.slice(0, 100), { steps: 150, rng: createRandom(4) });
      const starts = session.encode(labelled.slice(0, 20).map((l) => l.graph));
      const [step] = session.ascend(starts, { steps: 1, stepSize: 0.1, lambda: 0 });
      assert.ok(step);
      const before = session.scoreLatent(starts, 0);
      const after = session.scoreLatent(step, 0);
      after.forEach((score, i) => {
        assert.ok(score > (before[i] as number), `start ${i}`);
      });
      const [cheaper] = session.ascend(starts, { steps: 1, stepSize: 0.1, lambda: 10 });
      assert.ok(cheaper);
      const flops = (points: number[][]) =>
        session.predictLatent(points).reduce((a, p) => a + Math.log(p.flops), 0);
      assert.ok(flops(cheaper) < flops(starts));
    } finally {
      session.dispose();
    }
  });

  test("decodes from the prior are valid cells (NAS-Bench-201's topology is fixed)", () => {
    const session = GraphVaeSession.create(nb201GraphSpace, allGraphs, small, 5);
    try {
      const rng = createRandom(5);
      const points = Array.from({ length: 50 }, () =>
        Array.from({ length: 56 }, () => rng.next() * 4 - 2),
      );
      for (const graph of session.decode(points)) {
        assert.equal(graph.classes[0], nb201GraphSpace.inputOp);
        assert.equal(graph.classes[7], nb201GraphSpace.outputOp);
        for (const cls of graph.classes.slice(1, 7)) assert.ok(cls >= 1 && cls <= 5);
      }
    } finally {
      session.dispose();
    }
  });

  test("training lets the event loop run (BullMQ renews its locks meanwhile)", async () => {
    const session = GraphVaeSession.create(nb201GraphSpace, allGraphs, small, 9);
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 1);
    try {
      await session.train([], { steps: 100, rng: createRandom(9) });
    } finally {
      clearInterval(timer);
      session.dispose();
    }
    assert.ok(ticks >= 5, `the timer ran ${ticks} times during 100 steps`);
  });

  test("two models can live in one process", () => {
    const first = GraphVaeSession.create(nb201GraphSpace, allGraphs.slice(0, 10), small, 7);
    const second = GraphVaeSession.create(nb201GraphSpace, allGraphs.slice(0, 10), small, 8);
    const restored = GraphVaeSession.restore(nb201GraphSpace, allGraphs.slice(0, 10), first.save());
    assert.deepEqual(restored.encode(allGraphs.slice(0, 3)), first.encode(allGraphs.slice(0, 3)));
    for (const session of [first, second, restored]) session.dispose();
  });

  test("a snapshot restores the same model, and no tensor outlives a round", async () => {
    const baseline = tf.memory().numTensors;
    const session = GraphVaeSession.create(nb201GraphSpace, allGraphs, small, 6);
    await session.train(labelled.slice(0, 50), { steps: 20, rng: createRandom(6) });
    const graphs = labelled.slice(50, 60).map((l) => l.graph);
    const predictions = session.predict(graphs);
    const snapshot = session.save();
    session.dispose();
    assert.equal(
      tf.memory().numTensors,
      baseline,
      "a round (create, train, predict, save, dispose) leaks",
    );

    const restored = GraphVaeSession.restore(nb201GraphSpace, allGraphs, snapshot);
    try {
      assert.equal(restored.steps, 20);
      const again = restored.predict(graphs);
      again.forEach((p, i) => {
        assert.ok(Math.abs(p.accuracy - (predictions[i]?.accuracy as number)) < 1e-4);
        assert.ok(Math.abs(p.flops / (predictions[i]?.flops as number) - 1) < 1e-4);
      });
    } finally {
      restored.dispose();
    }
    assert.equal(tf.memory().numTensors, baseline);
  });

  test("with costFeature, the FLOPs head learns every cell's cost from unlabelled cells alone", async () => {
    const flops = allFlops();
    const config = { ...small, costFeature: true, rankingWeight: 1 };
    const session = GraphVaeSession.create(nb201GraphSpace, allGraphs, config, 11, flops);
    try {
      const report = await session.train([], { steps: 200, rng: createRandom(11) });
      assert.equal(report.loss.ranking, 0, "no labelled cell, no ranking loss");
      const heldOut = labelled.slice(0, 300);
      const predicted = session.predict(heldOut.map((l) => l.graph)).map((p) => p.flops);
      const tau = kendallTau(
        predicted,
        heldOut.map((l) => l.flops),
      );
      assert.ok(tau > 0.8, `FLOPs Kendall tau ${tau.toFixed(3)} with no labelled cell`);
      // The accuracy head reads the FLOPs prediction: its input is z plus one.
      const acc1 = session.model.namedVariables().find((v) => v.key === "acc1/w");
      assert.deepEqual(acc1?.variable.shape, [57, 64]);

      const tuned = await session.train(labelled.slice(300, 350), {
        steps: 20,
        rng: createRandom(12),
      });
      assert.ok(tuned.loss.ranking > 0, `ranking loss ${tuned.loss.ranking}`);
      assert.ok(Number.isFinite(tuned.loss.total));
    } finally {
      session.dispose();
    }
  });

  test("unlabelledFlops must have one value per unlabelled cell", () => {
    assert.throws(
      () =>
        GraphVaeSession.create(
          nb201GraphSpace,
          allGraphs.slice(0, 10),
          { costFeature: true },
          1,
          [1, 2],
        ),
      /2 values for 10 cells/,
    );
  });
});
