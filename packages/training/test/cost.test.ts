import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  allCells,
  networkCost,
  networkInventory,
  networkLayers,
  parseArchString,
} from "@nasvae/search-space";
import { ensureBackend, tf } from "@nasvae/tf-backend";
import { inventoryCost, layerCost, measuredCost } from "../src/cost.ts";
import { Nb201Network } from "../src/network.ts";
import type { NetworkShape } from "../src/types.ts";

before(async () => {
  await ensureBackend();
});

const NB201: NetworkShape = { channels: 16, cellsPerStage: 5, classes: 10, imageSize: 32 };

const SAMPLE = [
  "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|",
  "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|",
  // Dead edges: node 2 feeds nothing (2→3 is none), yet its convs count, as in NB201.
  "|nor_conv_1x1~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|skip_connect~0|avg_pool_3x3~1|none~2|",
  "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|",
].map(parseArchString);

describe("FLOPs and params of the built network", () => {
  test("the inventory of every one of the 15,625 cells costs what search-space's networkCost says", () => {
    const shapes: NetworkShape[] = [
      NB201,
      { ...NB201, classes: 100 },
      { channels: 8, cellsPerStage: 2, classes: 120, imageSize: 16 },
    ];
    for (const shape of shapes) {
      let cells = 0;
      for (const cell of allCells()) {
        const counted = inventoryCost(networkInventory(cell, shape));
        const analytic = networkCost(cell, {
          channels: shape.channels,
          cellsPerStage: shape.cellsPerStage,
          classes: shape.classes,
          inputSize: shape.imageSize,
        });
        if (counted.flops !== analytic.flops || counted.params !== analytic.params) {
          assert.fail(
            `${cell.edges.join(",")} at ${JSON.stringify(shape)}: ${JSON.stringify(counted)} vs ${JSON.stringify(analytic)}`,
          );
        }
        cells++;
      }
      assert.equal(cells, 15_625);
    }
  });

  test("the inventory lists networkLayers' layers, one for one, with the same costs", () => {
    for (const cell of SAMPLE) {
      const inventory = networkInventory(cell, NB201);
      const analytic = networkLayers(cell);
      assert.deepEqual(
        inventory.map((layer) => ({ name: layer.name, ...layerCost(layer) })),
        analytic.map(({ name, flops, params }) => ({ name, flops, params })),
      );
    }
  });

  for (const classes of [10, 100]) {
    test(`materialised N=5 C=16 networks (${classes} classes): variables and traced outputs give networkCost`, () => {
      const shape = { ...NB201, classes };
      const before = tf.memory().numTensors;
      for (const cell of SAMPLE) {
        const network = new Nb201Network(cell, shape);
        try {
          const measured = measuredCost(network);
          assert.deepEqual(
            { flops: measured.flops, params: measured.params },
            networkCost(cell, { classes }),
            cell.edges.join(","),
          );
          // Every parameterised layer ran exactly once and matched its inventory entry.
          for (const layer of network.inventory) {
            assert.deepEqual(measured.layers.get(layer.name), layerCost(layer), layer.name);
          }
        } finally {
          network.dispose();
        }
      }
      assert.equal(tf.memory().numTensors, before);
    });
  }

  test("a one-channel 28x28 input (Fashion-MNIST): stem, network and costs follow inputChannels", () => {
    const shape: NetworkShape = { ...NB201, cellsPerStage: 1, imageSize: 28, inputChannels: 1 };
    const options = { cellsPerStage: 1, inputSize: 28, inputChannels: 1 };
    const before = tf.memory().numTensors;
    for (const cell of SAMPLE) {
      const network = new Nb201Network(cell, shape);
      try {
        const analytic = networkLayers(cell, options);
        assert.deepEqual(analytic[0], {
          name: "stem.conv",
          flops: 1 * 16 * 9 * 28 * 28,
          params: 144,
        });
        assert.deepEqual(
          network.inventory.map((layer) => ({ name: layer.name, ...layerCost(layer) })),
          analytic.map(({ name, flops, params }) => ({ name, flops, params })),
        );
        const measured = measuredCost(network);
        assert.deepEqual(
          { flops: measured.flops, params: measured.params },
          networkCost(cell, options),
        );
        tf.tidy(() => {
          const logits = network.apply(tf.zeros([2, 28, 28, 1]), true);
          assert.deepEqual(logits.shape, [2, 10]);
        });
      } finally {
        network.dispose();
      }
    }
    assert.equal(tf.memory().numTensors, before);
  });
});
