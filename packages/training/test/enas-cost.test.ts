import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  type EnasCell,
  enasNetworkCost,
  enasNetworkLayers,
  parseEnasArchString,
} from "@nasvae/search-space";
import { ensureBackend, tf } from "@nasvae/tf-backend";
import { layerCost, measuredCost } from "../src/cost.ts";
import { EnasNetwork } from "../src/enas-network.ts";
import type { EnasNetworkShape } from "../src/types.ts";

before(async () => {
  await ensureBackend();
});

const allSkips = (op: number) =>
  `[${Array.from({ length: 6 }, (_, i) => `[${[op, ...Array(i).fill(1)].join(",")}]`).join(",")}]`;
const noSkips = (op: number) =>
  `[${Array.from({ length: 6 }, (_, i) => `[${[op, ...Array(i).fill(0)].join(",")}]`).join(",")}]`;

/** All skips, no skips, each op in every layer, and mixed cells. */
const CELLS: EnasCell[] = [
  allSkips(0),
  noSkips(1),
  allSkips(2),
  noSkips(3),
  allSkips(4),
  noSkips(5),
  "[[0],[1,1],[2,1,1],[3,1,1,1],[4,1,1,1,1],[5,1,1,1,1,1]]",
  "[[5],[4,0],[3,0,1],[2,1,0,0],[1,0,0,1,0],[0,0,1,0,0,1]]",
].map(parseEnasArchString);

const SHAPES: EnasNetworkShape[] = [
  { channels: 16, classes: 10, imageSize: 32 },
  { channels: 8, classes: 10, imageSize: 28, inputChannels: 1 },
];

const options = (shape: EnasNetworkShape) => ({
  channels: shape.channels,
  classes: shape.classes,
  imageSize: shape.imageSize,
  inputChannels: shape.inputChannels ?? 3,
});

describe("ENAS-6 network: FLOPs and params of the built model", () => {
  for (const shape of SHAPES) {
    test(`equal enasNetworkCost layer by layer (${JSON.stringify(shape)})`, () => {
      const before = tf.memory().numTensors;
      for (const cell of CELLS) {
        const network = new EnasNetwork(cell, shape);
        try {
          const analytic = enasNetworkLayers(cell, options(shape));
          const label = JSON.stringify(cell.ops);
          // The inventory lists the analytic layers one for one, with the same costs...
          assert.deepEqual(
            network.inventory.map((layer) => ({ name: layer.name, ...layerCost(layer) })),
            analytic.map(({ name, flops, params }) => ({ name, flops, params })),
            label,
          );
          // ... and the built model (variable sizes, traced output shapes) agrees per layer.
          const measured = measuredCost(network);
          assert.equal(measured.layers.size, analytic.length, label);
          for (const { name, flops, params } of analytic) {
            assert.deepEqual(measured.layers.get(name), { flops, params }, `${label} ${name}`);
          }
          assert.deepEqual(
            { flops: measured.flops, params: measured.params },
            enasNetworkCost(cell, options(shape)),
          );
        } finally {
          network.dispose();
        }
      }
      assert.equal(tf.memory().numTensors, before);
    });
  }

  test("skips add their 1x1 join's inputs; pools are free; separable convs are cheaper", () => {
    const c = 16;
    const s = 32;
    const base = enasNetworkCost(parseEnasArchString(noSkips(4)));
    const skip = enasNetworkCost(
      parseEnasArchString("[[4],[4,1],[4,0,0],[4,0,0,0],[4,0,0,0,0],[4,0,0,0,0,0]]"),
    );
    // One skip into layer 1 (C channels at full size) widens its join by C inputs.
    assert.deepEqual(
      { flops: skip.flops - base.flops, params: skip.params - base.params },
      { flops: c * c * s * s, params: c * c },
    );
    const conv = enasNetworkCost(parseEnasArchString(noSkips(0)));
    const sep = enasNetworkCost(parseEnasArchString(noSkips(1)));
    assert.ok(base.flops < sep.flops && sep.flops < conv.flops);
  });
});
