import assert from "node:assert/strict";
import { truncate } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  CIFAR10,
  CIFAR100,
  DATASET_NAMES,
  type DatasetInfo,
  isDatasetName,
  listDatasets,
  loadDataset,
  UnknownDatasetError,
} from "../src/index.ts";
import { tempDataDir, writeSparseFiles } from "../src/testing.ts";

let data: Awaited<ReturnType<typeof tempDataDir>>;
before(async () => {
  data = await tempDataDir();
});
after(async () => {
  await data.cleanup();
});

const byName = (list: DatasetInfo[]) => new Map(list.map((info) => [info.name, info]));

test("names: the generated dataset, CIFAR-10/100 and Fashion-MNIST; anything else is unknown", async () => {
  assert.deepEqual(DATASET_NAMES, ["synthetic-shapes", "cifar10", "cifar100", "fashion-mnist"]);
  for (const name of DATASET_NAMES) assert.ok(isDatasetName(name));
  for (const name of ["cifar-10", "CIFAR10", "", 10, undefined]) assert.ok(!isDatasetName(name));
  await assert.rejects(loadDataset("imagenet"), (error: Error) => {
    assert.ok(error instanceof UnknownDatasetError);
    assert.match(
      error.message,
      /unknown dataset "imagenet": the datasets are synthetic-shapes, cifar10, cifar100, fashion-mnist/,
    );
    return true;
  });
});

test("an empty directory: only the generated dataset is available; every other file missing", async () => {
  // Not the host's /usr/share/datasets: Fashion-MNIST may be installed there.
  const list = await listDatasets({ dataDir: data.dir, systemDatasetsDir: null });
  assert.deepEqual(
    list.map((info) => info.name),
    [...DATASET_NAMES],
  );
  const info = byName(list);
  assert.deepEqual(info.get("synthetic-shapes"), {
    name: "synthetic-shapes",
    description: info.get("synthetic-shapes")?.description,
    classes: 10,
    inputShape: [32, 32, 3],
    trainSize: 2_000,
    validationSize: 500,
    testSize: 500,
    source: "generated",
    available: true,
    missingFiles: [],
  });
  assert.deepEqual(info.get("cifar10"), {
    name: "cifar10",
    description: CIFAR10.description,
    classes: 10,
    inputShape: [32, 32, 3],
    trainSize: 45_000,
    validationSize: 5_000,
    testSize: 10_000,
    source: "mounted",
    available: false,
    missingFiles: [
      "cifar-10-batches-bin/data_batch_1.bin",
      "cifar-10-batches-bin/data_batch_2.bin",
      "cifar-10-batches-bin/data_batch_3.bin",
      "cifar-10-batches-bin/data_batch_4.bin",
      "cifar-10-batches-bin/data_batch_5.bin",
      "cifar-10-batches-bin/test_batch.bin",
    ],
  });
  assert.equal(info.get("cifar100")?.classes, 100);
  assert.deepEqual(info.get("cifar100")?.missingFiles, [
    "cifar-100-binary/train.bin",
    "cifar-100-binary/test.bin",
  ]);
  assert.equal(info.get("fashion-mnist")?.available, false);
  assert.equal(info.get("fashion-mnist")?.missingFiles.length, 4);
  // A directory that does not exist reads the same (nothing mounted yet), but for where
  // Fashion-MNIST's description says it looked.
  const absent = await listDatasets({
    dataDir: join(data.dir, "not-there"),
    systemDatasetsDir: null,
  });
  assert.deepEqual(
    absent.filter((entry) => entry.name !== "fashion-mnist"),
    list.filter((entry) => entry.name !== "fashion-mnist"),
  );
});

test("files of the right sizes make a dataset available; a wrong size is listed as missing", async () => {
  const dir = join(data.dir, "mounted");
  await writeSparseFiles(dir, CIFAR10);
  await writeSparseFiles(dir, CIFAR100);
  let info = byName(await listDatasets({ dataDir: dir }));
  assert.equal(info.get("cifar10")?.available, true);
  assert.deepEqual(info.get("cifar10")?.missingFiles, []);
  assert.equal(info.get("cifar100")?.available, true);

  await truncate(join(dir, "cifar-10-batches-bin/data_batch_4.bin"), 3073);
  info = byName(await listDatasets({ dataDir: dir }));
  assert.equal(info.get("cifar10")?.available, false);
  assert.deepEqual(info.get("cifar10")?.missingFiles, ["cifar-10-batches-bin/data_batch_4.bin"]);
  assert.equal(info.get("cifar100")?.available, true);
});

test("the directory defaults to ./datasets under the working directory", async () => {
  const here = process.cwd();
  const dir = join(data.dir, "cwd");
  await writeSparseFiles(join(dir, "datasets"), CIFAR100);
  process.chdir(dir);
  try {
    const info = byName(await listDatasets());
    assert.equal(info.get("cifar100")?.available, true);
    assert.equal(info.get("cifar10")?.available, false);
  } finally {
    process.chdir(here);
  }
});
