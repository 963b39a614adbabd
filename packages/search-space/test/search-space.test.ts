import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  canonicalHash,
  createRandom,
  ENAS_SEARCH_SPACE_ID,
  enasNetworkCost,
  enasSearchSpace,
  getSearchSpace,
  isSearchSpaceId,
  nasBench201SearchSpace,
  SEARCH_SPACE_IDS,
  searchSpaces,
} from "../src/index.ts";

const ARCH =
  "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";

describe("search space registry", () => {
  test("has nas-bench-201 and enas-macro-6", () => {
    assert.deepEqual(SEARCH_SPACE_IDS, ["nas-bench-201", "enas-macro-6"]);
    assert.equal(searchSpaces["nas-bench-201"], nasBench201SearchSpace);
    assert.equal(searchSpaces["enas-macro-6"], enasSearchSpace);
    assert.equal(getSearchSpace("nas-bench-201").size, 15625);
    assert.equal(getSearchSpace("enas-macro-6").size, 1_528_823_808);
    assert.equal(getSearchSpace("enas-macro-6").name, "ENAS macro (6 layers)");
    assert.equal(ENAS_SEARCH_SPACE_ID, "enas-macro-6");
    assert.ok(isSearchSpaceId("nas-bench-201"));
    assert.ok(isSearchSpaceId("enas-macro-6"));
    assert.ok(!isSearchSpaceId("nas-bench-101"));
    assert.ok(!isSearchSpaceId("toString"));
    assert.throws(
      () => getSearchSpace("darts"),
      /Unknown search space "darts" \(known: nas-bench-201, enas-macro-6\)/,
    );
  });

  test("descriptor functions work together", () => {
    const space = getSearchSpace("nas-bench-201");
    const cell = space.parse(ARCH);
    assert.equal(space.format(cell), ARCH);
    assert.equal(space.canonicalHash(cell), canonicalHash(cell));
    assert.equal(
      space.canonicalString(cell),
      "(0)@avg_pool_3x3+(0)@avg_pool_3x3+(0)@nor_conv_1x1+(0)@nor_conv_1x1",
    );
    assert.deepEqual(space.cost(cell), { flops: 15_647_370, params: 129_306 });
    assert.deepEqual(space.fromDag(space.toDag(cell)), cell);
    assert.equal(space.dagVocabulary.length, 7);
    const sampled = space.sample(createRandom(5));
    assert.equal(space.parse(space.format(sampled)).edges.length, 6);
    assert.equal([...space.enumerate()].length, 15625);
  });

  test("the ENAS descriptor's functions work together", () => {
    const arch = "[[1],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]";
    const space = getSearchSpace("enas-macro-6");
    const cell = space.parse(arch);
    assert.equal(space.format(cell), arch);
    assert.equal(space.canonicalString(cell), arch);
    assert.deepEqual(space.fromDag(space.toDag(cell)), cell);
    assert.equal(space.dagVocabulary.length, 8);
    assert.equal(space.neighbours(cell).length, 45);
    assert.equal(space.distance(cell, space.mutate(cell, createRandom(1))), 1);
    assert.deepEqual(space.cost(cell), enasNetworkCost(cell));
    assert.deepEqual(space.cost(cell, { channels: 96 }), enasNetworkCost(cell, { channels: 96 }));
    const sampled = space.sample(createRandom(5));
    assert.equal(space.format(space.parse(space.format(sampled))), space.format(sampled));
  });

  test("a string id gives a space usable without knowing its cell type", () => {
    for (const id of SEARCH_SPACE_IDS) {
      const space = getSearchSpace(id as string);
      const cell = space.sample(createRandom(3));
      const arch = space.format(cell);
      assert.equal(space.format(space.parse(arch)), arch, id);
      assert.equal(space.canonicalHash(space.parse(arch)), space.canonicalHash(cell), id);
    }
  });
});
