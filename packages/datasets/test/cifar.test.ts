import assert from "node:assert/strict";
import { truncate } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CIFAR10, CIFAR100, type CifarFormat, recordBytes } from "../src/cifar-format.ts";
import { readCifar } from "../src/cifar-reader.ts";
import type { ImageSplit } from "../src/dataset.ts";
import { DatasetUnavailableError, loadDataset } from "../src/index.ts";
import {
  encodeRecords,
  type FakeRecord,
  fakeRecords,
  tempDataDir,
  writeAt,
  writeSparseFiles,
} from "../src/testing.ts";

/** `format` with `records` records in each file and `validationSize` held out. */
function tiny(format: CifarFormat, records: number, validationSize: number): CifarFormat {
  return {
    ...format,
    trainFiles: format.trainFiles.map((file) => ({ ...file, records })),
    testFiles: format.testFiles.map((file) => ({ ...file, records })),
    validationSize,
  };
}

/** Checks image `index` of `split` against `record`, pixel by pixel, CHW in the file to HWC. */
function assertSameImage(split: ImageSplit, index: number, record: FakeRecord, label: number) {
  assert.equal(split.labels[index], label, `label of image ${index}`);
  const size = 32 * 32 * 3;
  for (let y = 0; y < 32; y += 1) {
    for (let x = 0; x < 32; x += 1) {
      for (let c = 0; c < 3; c += 1) {
        const hwc = split.images[index * size + (y * 32 + x) * 3 + c];
        const chw = record.chw[c * 1024 + y * 32 + x];
        if (hwc !== chw) assert.fail(`image ${index}, pixel (${y}, ${x}), channel ${c}`);
      }
    }
  }
}

describe("CIFAR binary readers", () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  before(async () => {
    data = await tempDataDir();
  });
  after(async () => {
    await data.cleanup();
  });

  test("CIFAR-10: five training files and a test file, converted to HWC, the last held out", async () => {
    const dir = join(data.dir, "c10");
    const format = tiny(CIFAR10, 3, 4);
    // 15 training records over five files: the last 4 (file 4's last, all of file 5's) validate.
    const train = fakeRecords(
      format,
      Array.from({ length: 15 }, (_, i) => [i % 10]),
      1,
    );
    const testRecords = fakeRecords(format, [[9], [0], [5]], 2);
    for (const [n, file] of format.trainFiles.entries()) {
      await writeAt(join(dir, file.path), 3 * recordBytes(format), [
        { position: 0, bytes: encodeRecords(train.slice(3 * n, 3 * n + 3)) },
      ]);
    }
    await writeAt(join(dir, format.testFiles[0]?.path ?? ""), 3 * recordBytes(format), [
      { position: 0, bytes: encodeRecords(testRecords) },
    ]);

    const dataset = await readCifar(dir, format);
    assert.equal(dataset.name, "cifar10");
    assert.deepEqual([dataset.classes, dataset.imageSize, dataset.channels], [10, 32, 3]);
    assert.deepEqual(
      [dataset.train.count, dataset.validation.count, dataset.test.count],
      [11, 4, 3],
    );
    assert.equal(dataset.train.images.length, 11 * 3072);
    assert.equal(dataset.validation.labels.length, 4);
    for (let i = 0; i < 11; i += 1)
      assertSameImage(dataset.train, i, train[i] as FakeRecord, i % 10);
    for (let i = 0; i < 4; i += 1) {
      assertSameImage(dataset.validation, i, train[11 + i] as FakeRecord, (11 + i) % 10);
    }
    for (const [i, label] of [9, 0, 5].entries()) {
      assertSameImage(dataset.test, i, testRecords[i] as FakeRecord, label);
    }
  });

  test("CIFAR-100: two label bytes, the fine one used", async () => {
    const dir = join(data.dir, "c100");
    const format = tiny(CIFAR100, 6, 2);
    // Coarse labels (0..19) differ from the fine ones, so that reading the wrong byte shows.
    const fine = [99, 0, 42, 7, 63, 18];
    const train = fakeRecords(
      format,
      fine.map((label) => [19 - (label % 20), label]),
      3,
    );
    const testRecords = fakeRecords(
      format,
      fine.map((label) => [3, 99 - label]),
      4,
    );
    await writeAt(join(dir, "cifar-100-binary/train.bin"), 6 * 3074, [
      { position: 0, bytes: encodeRecords(train) },
    ]);
    await writeAt(join(dir, "cifar-100-binary/test.bin"), 6 * 3074, [
      { position: 0, bytes: encodeRecords(testRecords) },
    ]);
    const dataset = await readCifar(dir, format);
    assert.equal(dataset.classes, 100);
    assert.deepEqual([...dataset.train.labels], [99, 0, 42, 7]);
    assert.deepEqual([...dataset.validation.labels], [63, 18]);
    assert.deepEqual(
      [...dataset.test.labels],
      fine.map((label) => 99 - label),
    );
    for (let i = 0; i < 4; i += 1)
      assertSameImage(dataset.train, i, train[i] as FakeRecord, fine[i] as number);
    assertSameImage(dataset.validation, 1, train[5] as FakeRecord, 18);
    for (let i = 0; i < 6; i += 1) {
      assertSameImage(dataset.test, i, testRecords[i] as FakeRecord, 99 - (fine[i] as number));
    }
  });

  test("a label beyond the classes is refused: not a CIFAR file", async () => {
    const dir = join(data.dir, "bad-label");
    const format = tiny(CIFAR10, 1, 1);
    for (const file of [...format.trainFiles, ...format.testFiles]) {
      const label = file.path.endsWith("data_batch_3.bin") ? 10 : 1;
      await writeAt(join(dir, file.path), recordBytes(format), [
        { position: 0, bytes: encodeRecords(fakeRecords(format, [[label]], 5)) },
      ]);
    }
    await assert.rejects(readCifar(dir, format), (error: Error) => {
      assert.ok(error instanceof DatasetUnavailableError);
      assert.match(error.message, /data_batch_3\.bin is not a cifar10 file: record 0 has label 10/);
      return true;
    });
  });

  test("the real layout through loadDataset: 45,000 / 5,000 / 10,000, records where expected", async () => {
    const dir = join(data.dir, "full");
    await writeSparseFiles(dir, CIFAR10);
    // Non-zero records at the edges: the first training image, the first and last validation
    // images (records 5,000 and 9,999 of data_batch_5) and the last test image.
    const [first, firstHeldOut, lastHeldOut, lastTest] = fakeRecords(
      CIFAR10,
      [[3], [7], [8], [2]],
      6,
    ) as [FakeRecord, FakeRecord, FakeRecord, FakeRecord];
    const record = recordBytes(CIFAR10);
    const batch = (name: string) => join(dir, "cifar-10-batches-bin", name);
    await writeAt(batch("data_batch_1.bin"), 10_000 * record, [
      { position: 0, bytes: encodeRecords([first]) },
    ]);
    await writeAt(batch("data_batch_5.bin"), 10_000 * record, [
      { position: 5_000 * record, bytes: encodeRecords([firstHeldOut]) },
      { position: 9_999 * record, bytes: encodeRecords([lastHeldOut]) },
    ]);
    await writeAt(batch("test_batch.bin"), 10_000 * record, [
      { position: 9_999 * record, bytes: encodeRecords([lastTest]) },
    ]);

    const dataset = await loadDataset("cifar10", { dataDir: dir });
    assert.deepEqual(
      [dataset.train.count, dataset.validation.count, dataset.test.count],
      [45_000, 5_000, 10_000],
    );
    assertSameImage(dataset.train, 0, first, 3);
    assert.equal(dataset.train.labels[44_999], 0);
    assertSameImage(dataset.validation, 0, firstHeldOut, 7);
    assertSameImage(dataset.validation, 4_999, lastHeldOut, 8);
    assertSameImage(dataset.test, 9_999, lastTest, 2);
  });

  test("missing files: the error names every expected path, the directory and the download", async () => {
    const dir = join(data.dir, "empty");
    await assert.rejects(loadDataset("cifar10", { dataDir: dir }), (error: Error) => {
      assert.ok(error instanceof DatasetUnavailableError);
      assert.equal(error.name, "DatasetUnavailableError");
      assert.ok(error.message.includes(`under ${dir}`), error.message);
      for (const name of [1, 2, 3, 4, 5]
        .map((n) => `data_batch_${n}.bin`)
        .concat("test_batch.bin")) {
        assert.ok(
          error.message.includes(
            `${join(dir, "cifar-10-batches-bin", name)} (30,730,000 bytes): missing`,
          ),
          `${name} in ${error.message}`,
        );
      }
      assert.ok(error.message.includes("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"));
      assert.ok(error.message.includes(`tar -xzf cifar-10-binary.tar.gz -C ${dir}`));
      return true;
    });
    await assert.rejects(loadDataset("cifar100", { dataDir: dir }), (error: Error) => {
      assert.ok(error instanceof DatasetUnavailableError);
      for (const name of ["train.bin", "test.bin"]) {
        assert.ok(error.message.includes(join(dir, "cifar-100-binary", name)), error.message);
      }
      assert.ok(error.message.includes("cifar-100-binary.tar.gz"));
      return true;
    });
  });

  test("a short file: named with its size, the others reported present", async () => {
    const dir = join(data.dir, "short");
    await writeSparseFiles(dir, CIFAR100);
    await truncate(join(dir, "cifar-100-binary/test.bin"), 10_000 * 3074 - 1);
    await assert.rejects(loadDataset("cifar100", { dataDir: dir }), (error: Error) => {
      assert.ok(error instanceof DatasetUnavailableError);
      assert.ok(
        error.message.includes(
          `${join(dir, "cifar-100-binary/test.bin")} (30,740,000 bytes): 30,739,999 bytes`,
        ),
        error.message,
      );
      assert.ok(
        error.message.includes(
          `${join(dir, "cifar-100-binary/train.bin")} (153,700,000 bytes): present`,
        ),
      );
      return true;
    });
  });
});
