import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { networkCost, networkLayers, parseArchString } from "../src/index.ts";
import { readNb201Rows } from "./nb201-table.ts";

const ALL_NONE = parseArchString("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|");
const ONE_3X3 = parseArchString("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|");
const ONE_1X1 = parseArchString("|nor_conv_1x1~0|+|none~0|none~1|+|none~0|none~1|none~2|");

describe("networkCost", () => {
  test("equals flops_m / params_m of the table on every row", () => {
    for (const row of readNb201Rows()) {
      const cost = networkCost(parseArchString(row.arch));
      assert.equal(cost.flops, Math.round(row.flopsM * 1e6), `flops of row ${row.index}`);
      assert.equal(cost.params, Math.round(row.paramsM * 1e6), `params of row ${row.index}`);
    }
  });

  test("base network and per-edge increments (CIFAR-10)", () => {
    assert.deepEqual(networkCost(ALL_NONE), { flops: 7_783_050, params: 73_306 });
    assert.deepEqual(networkCost(ONE_3X3), {
      flops: 7_783_050 + 35_389_440,
      params: 73_306 + 243_040,
    });
    assert.deepEqual(networkCost(ONE_1X1), {
      flops: 7_783_050 + 3_932_160,
      params: 73_306 + 28_000,
    });
  });

  test("known official values: index 0 and index 15474", () => {
    const index0 = parseArchString(
      "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|",
    );
    assert.deepEqual(networkCost(index0), { flops: 15_647_370, params: 129_306 });
    const index15474 = parseArchString(
      "|skip_connect~0|+|none~0|nor_conv_3x3~1|+|avg_pool_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|",
    );
    assert.deepEqual(networkCost(index15474), { flops: 113_951_370, params: 802_426 });
  });

  test("classification heads: 100 and 120 classes", () => {
    const base = networkCost(ONE_3X3);
    const c100 = networkCost(ONE_3X3, { classes: 100 });
    const c120 = networkCost(ONE_3X3, { classes: 120 });
    // Linear 64→k with bias: 65k params and 65k counted flops.
    assert.equal(c100.params - base.params, 5_850);
    assert.equal(c100.flops - base.flops, 5_850);
    assert.equal(c120.params - base.params, 7_150);
    assert.equal(c120.flops - base.flops, 7_150);
  });

  test("16x16 input (ImageNet16-120) divides conv flops by 4, params unchanged", () => {
    const big = networkCost(ONE_3X3, { classes: 120 });
    const small = networkCost(ONE_3X3, { classes: 120, inputSize: 16 });
    assert.equal(small.params, big.params);
    assert.equal(small.flops - 7_800, (big.flops - 7_800) / 4);
  });

  test("layers list names every costed layer", () => {
    const layers = networkLayers(ONE_3X3);
    assert.equal(layers.filter((l) => l.name.endsWith(".nor_conv_3x3")).length, 15);
    assert.equal(layers[0]?.name, "stem.conv");
    assert.equal(layers.at(-1)?.name, "head.classifier");
  });

  test("rejects bad options", () => {
    assert.throws(
      () => networkCost(ALL_NONE, { channels: 0 }),
      /channels must be a positive integer/,
    );
    assert.throws(() => networkCost(ALL_NONE, { inputSize: 30 }), /divisible by 4/);
    assert.throws(() => networkCost(ALL_NONE, { classes: 1.5 }), /classes/);
  });
});
