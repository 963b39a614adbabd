import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  canonicalHash,
  createRandom,
  getSearchSpace,
  isSearchSpaceId,
  nasBench201SearchSpace,
  SEARCH_SPACE_IDS,
  searchSpaces,
} from "../src/index.ts";

const ARCH =
  "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";

describe("search space registry", () => {
  test("has exactly nas-bench-201", () => {
    assert.deepEqual(SEARCH_SPACE_IDS, ["nas-bench-201"]);
    assert.equal(searchSpaces["nas-bench-201"], nasBench201SearchSpace);
    assert.equal(getSearchSpace("nas-bench-201").size, 15625);
    assert.ok(isSearchSpaceId("nas-bench-201"));
    assert.ok(!isSearchSpaceId("nas-bench-101"));
    assert.ok(!isSearchSpaceId("toString"));
    assert.throws(
      () => getSearchSpace("darts"),
      /Unknown search space "darts" \(known: nas-bench-201\)/,
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
});
