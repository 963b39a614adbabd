import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { ensureBackend, tf } from "@nasvae/tf-backend";
import { Adam } from "../src/adam.ts";
import type { TrainableParameter } from "../src/network.ts";
import { cosineAnnealing, learningRateAt } from "../src/schedule.ts";
import { NesterovSgd } from "../src/sgd.ts";
import type { TrainingRecipe } from "../src/types.ts";

before(async () => {
  await ensureBackend();
});

function parameters(): [TrainableParameter, TrainableParameter] {
  return [
    { name: "w", variable: tf.variable(tf.tensor1d([1, -2])), decay: true },
    { name: "b", variable: tf.variable(tf.tensor1d([0.5])), decay: false },
  ];
}

function close(actual: ArrayLike<number>, expected: number[], what: string): void {
  Array.from(actual).forEach((v, i) => {
    const e = expected[i] ?? Number.NaN;
    assert.ok(Math.abs(v - e) < 1e-6, `${what}[${i}]: ${v} vs ${e}`);
  });
}

describe("optimisers", () => {
  test("SGD with Nesterov momentum and weight decay follows PyTorch's update", () => {
    const params = parameters();
    const sgd = new NesterovSgd(params, { momentum: 0.9, weightDecay: 0.1 });
    const grads = [tf.tensor1d([0.5, 1]), tf.tensor1d([2])];
    // Step 1, lr 0.1: w: g = [0.5+0.1, 1-0.2] = [0.6, 0.8]; v = g; p -= 0.1 (g + 0.9 v) = 0.1·1.9 g.
    sgd.step(grads, 0.1);
    close(params[0].variable.dataSync(), [1 - 0.114, -2 - 0.152], "w after 1");
    // b (no decay): g = 2, v = 2, p = 0.5 - 0.1·(2 + 1.8) = 0.12.
    close(params[1].variable.dataSync(), [0.12], "b after 1");
    // Step 2, lr 0.05, b: v = 0.9·2 + 2 = 3.8; p = 0.12 - 0.05·(2 + 0.9·3.8) = -0.151.
    sgd.step(grads, 0.05);
    close(params[1].variable.dataSync(), [0.12 - 0.05 * (2 + 0.9 * 3.8)], "b after 2");
    sgd.dispose();
    tf.dispose([...grads, ...params.map((p) => p.variable)]);
  });

  test("a parameter without a gradient is left unchanged", () => {
    const params = parameters();
    const sgd = new NesterovSgd(params, { weightDecay: 0.1 });
    const grad = tf.tensor1d([1]);
    sgd.step([undefined, grad], 0.1);
    close(params[0].variable.dataSync(), [1, -2], "w");
    sgd.dispose();
    tf.dispose([grad, ...params.map((p) => p.variable)]);
  });

  test("Adam with bias correction follows PyTorch's update", () => {
    const params = parameters();
    const adam = new Adam(params);
    const grads = [tf.tensor1d([0.5, -1]), tf.tensor1d([2])];
    // Step 1: m̂ = g, v̂ = g², update = lr·g/(|g| + eps) ≈ lr·sign(g).
    adam.step(grads, 0.01);
    close(params[0].variable.dataSync(), [0.99, -1.99], "w after 1");
    // Step 2, same g: m̂ = g, v̂ = g² again.
    adam.step(grads, 0.01);
    close(params[1].variable.dataSync(), [0.48], "b after 2");
    adam.dispose();
    tf.dispose([...grads, ...params.map((p) => p.variable)]);
  });

  test("optimisers release their state", () => {
    const params = parameters();
    const before = tf.memory().numTensors;
    const grads = [tf.tensor1d([0.5, -1]), tf.tensor1d([2])];
    for (const optimizer of [new NesterovSgd(params), new Adam(params)]) {
      optimizer.step(grads, 0.1);
      optimizer.dispose();
    }
    tf.dispose(grads);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose(params.map((p) => p.variable));
  });
});

describe("learning rate schedule", () => {
  const recipe: TrainingRecipe = {
    epochs: 10,
    batchSize: 64,
    optimizer: "sgd",
    learningRate: 0.1,
    momentum: 0.9,
    weightDecay: 5e-4,
    augment: true,
    seed: 0,
  };

  test("cosine annealing from the base rate to zero", () => {
    assert.equal(cosineAnnealing(0.1, 0, 100), 0.1);
    assert.ok(Math.abs(cosineAnnealing(0.1, 50, 100) - 0.05) < 1e-12);
    assert.ok(Math.abs(cosineAnnealing(0.1, 100, 100)) < 1e-12);
  });

  test("SGD anneals per iteration; Adam keeps its rate", () => {
    assert.ok(learningRateAt(recipe, 10, 100) < learningRateAt(recipe, 9, 100));
    assert.equal(
      learningRateAt({ ...recipe, optimizer: "adam", learningRate: 1e-3 }, 50, 100),
      1e-3,
    );
  });
});
