// GET /datasets against a real API, with a DATASETS_DIR of its own: empty, then with fake CIFAR-10
// files of the right sizes mounted while it runs.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { truncate } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CIFAR10, type DatasetInfo } from "@nasvae/datasets";
import { tempDataDir, writeSparseFiles } from "@nasvae/datasets/testing";
import { startTestApi, type TestApi } from "./support.ts";

describe("GET /datasets", () => {
  let api: TestApi;
  let data: Awaited<ReturnType<typeof tempDataDir>>;

  const list = async (headers: Record<string, string> = {}) => {
    const response = await api.server.inject({ method: "GET", url: "/datasets", headers });
    assert.equal(response.statusCode, 200, response.body);
    return new Map((response.json().items as DatasetInfo[]).map((info) => [info.name, info]));
  };

  before(async () => {
    data = await tempDataDir();
    api = await startTestApi("api_datasets", { DATASETS_DIR: data.dir });
  });
  after(async () => {
    await api.close();
    await data.cleanup();
  });

  test("with nothing mounted: the generated dataset is available, CIFAR lists its missing files", async () => {
    const datasets = await list();
    assert.deepEqual(
      [...datasets.keys()],
      ["synthetic-shapes", "cifar10", "cifar100", "fashion-mnist"],
    );
    const generated = datasets.get("synthetic-shapes");
    assert.equal(generated?.available, true);
    assert.equal(generated?.source, "generated");
    assert.deepEqual(generated?.inputShape, [32, 32, 3]);
    assert.deepEqual(
      [generated?.classes, generated?.trainSize, generated?.validationSize, generated?.testSize],
      [10, 2_000, 500, 500],
    );
    const cifar10 = datasets.get("cifar10");
    assert.equal(cifar10?.available, false);
    assert.equal(cifar10?.source, "mounted");
    assert.deepEqual(
      [cifar10?.classes, cifar10?.trainSize, cifar10?.validationSize, cifar10?.testSize],
      [10, 45_000, 5_000, 10_000],
    );
    assert.equal(cifar10?.missingFiles.length, 6);
    assert.ok(cifar10?.missingFiles.includes("cifar-10-batches-bin/test_batch.bin"));
    assert.deepEqual(datasets.get("cifar100")?.missingFiles, [
      "cifar-100-binary/train.bin",
      "cifar-100-binary/test.bin",
    ]);
  });

  test("files mounted while the API runs show up on the next request; a short one does not count", async () => {
    await writeSparseFiles(data.dir, CIFAR10);
    let datasets = await list();
    assert.equal(datasets.get("cifar10")?.available, true);
    assert.deepEqual(datasets.get("cifar10")?.missingFiles, []);
    assert.equal(datasets.get("cifar100")?.available, false);

    await truncate(join(data.dir, "cifar-10-batches-bin/data_batch_2.bin"), 100);
    datasets = await list();
    assert.equal(datasets.get("cifar10")?.available, false);
    assert.deepEqual(datasets.get("cifar10")?.missingFiles, [
      "cifar-10-batches-bin/data_batch_2.bin",
    ]);
  });

  test("with READ_ACCESS=key, the list needs a key like every other read", async () => {
    const key = `nasvae_test_${randomBytes(16).toString("hex")}`;
    const guarded = await startTestApi("api_datasets_key", {
      DATASETS_DIR: data.dir,
      API_KEYS: key,
      READ_ACCESS: "key",
    });
    try {
      const refused = await guarded.server.inject({ method: "GET", url: "/datasets" });
      assert.equal(refused.statusCode, 401);
      const allowed = await guarded.server.inject({
        method: "GET",
        url: "/datasets",
        headers: { authorization: `Bearer ${key}` },
      });
      assert.equal(allowed.statusCode, 200);
      assert.equal(allowed.json().items.length, 4);
    } finally {
      await guarded.close();
    }
  });
});
