import assert from "node:assert/strict";
import { test } from "node:test";
import { assertPatchedVersion, PATCHED_TFJS_VERSION } from "../src/index.ts";

test("the pinned tfjs version is the one installed", () => {
  assert.doesNotThrow(() => assertPatchedVersion());
});

test("another tfjs version is refused with an error naming both versions", () => {
  assert.throws(
    () => assertPatchedVersion("4.23.0"),
    (error: Error) =>
      error.message.includes(PATCHED_TFJS_VERSION) && error.message.includes("4.23.0"),
  );
});
