import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { createLogger } from "@nasvae/config";
import { CheckpointStore } from "../src/checkpoint-store.ts";

const root = mkdtempSync(join(tmpdir(), "nasvae-checkpoint-store-"));
after(() => rmSync(root, { recursive: true, force: true }));

const key = {
  trialId: "6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab",
  evaluatorFingerprint: "a".repeat(64),
};

test("saves atomically under trial and fingerprint, replaces, loads and deletes", async () => {
  const dir = join(root, "created-on-first-save");
  const store = new CheckpointStore(dir, 1);
  assert.equal(await store.load(key), undefined);
  await store.save(key, new Uint8Array([1, 2, 3]));
  await store.save(key, new Uint8Array([4, 5]));
  // One file, named by both parts of the key; no temporary file left.
  assert.deepEqual(readdirSync(dir), [`${key.trialId}-${key.evaluatorFingerprint}.ckpt`]);
  assert.deepEqual([...((await store.load(key)) ?? [])], [4, 5]);
  // Another fingerprint (another spec) never sees it.
  const other = { ...key, evaluatorFingerprint: "b".repeat(64) };
  assert.equal(await store.load(other), undefined);
  assert.equal(await store.delete(key), true);
  assert.equal(await store.delete(key), false);
  assert.deepEqual(readdirSync(dir), []);
});

test("refuses keys that are not plain ids (no path from a payload reaches the disk)", async () => {
  const store = new CheckpointStore(root, 1);
  for (const trialId of ["../escape", "a/b", "", "x".repeat(200)]) {
    assert.throws(() => store.path({ ...key, trialId }), /unfit for a file name/, trialId);
  }
  await assert.rejects(store.save({ ...key, trialId: "../x" }, new Uint8Array([1])));
});

test("CHECKPOINT_EVERY_EPOCHS=0 lends evaluations no checkpoints", () => {
  const log = createLogger("test", "silent");
  assert.equal(new CheckpointStore(root, 0).forEvaluation(key, log), undefined);
  assert.equal(new CheckpointStore(root, 3).forEvaluation(key, log)?.every, 3);
});
