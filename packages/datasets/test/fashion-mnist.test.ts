import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { rename, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import {
  DatasetUnavailableError,
  FASHION_MNIST,
  type FashionMnistFormat,
  fashionMnistFiles,
  type ImageSplit,
  listDatasets,
  loadDataset,
  readFashionMnist,
  validationMask,
} from "../src/index.ts";
import {
  encodeIdx,
  type FakeIdxDataset,
  fakeIdxDataset,
  tempDataDir,
  writeIdxFiles,
  writeSparseIdxFiles,
} from "../src/testing.ts";

/** 20 training images (5 held out) and 6 test images of the real size: small files, same code. */
const tiny: FashionMnistFormat = {
  ...FASHION_MNIST,
  trainRecords: 20,
  testRecords: 6,
  validationSize: 5,
};
const PIXELS = 28 * 28;

/** Image `index` of `split` is image `source` of `images`, byte for byte, with `label`. */
function assertImage(
  split: ImageSplit,
  index: number,
  images: Uint8Array,
  source: number,
  label: number,
) {
  assert.equal(split.labels[index], label, `label of image ${index}`);
  const got = split.images.subarray(index * PIXELS, (index + 1) * PIXELS);
  assert.ok(
    Buffer.from(got).equals(images.subarray(source * PIXELS, (source + 1) * PIXELS)),
    `image ${index} is not image ${source} of the file`,
  );
}

/** Checks a dataset read from files holding `fake` in `format`: splits, order, bytes. */
function assertReadAs(
  dataset: Awaited<ReturnType<typeof readFashionMnist>>,
  fake: FakeIdxDataset,
  format: FashionMnistFormat,
) {
  assert.equal(dataset.name, "fashion-mnist");
  assert.deepEqual([dataset.classes, dataset.imageSize, dataset.channels], [10, 28, 1]);
  const heldOut = validationMask(format.trainRecords, format.validationSize, format.validationSeed);
  const kept = [...heldOut.keys()].filter((i) => heldOut[i] === 0);
  const validation = [...heldOut.keys()].filter((i) => heldOut[i] === 1);
  assert.deepEqual(
    [dataset.train.count, dataset.validation.count, dataset.test.count],
    [format.trainRecords - format.validationSize, format.validationSize, format.testRecords],
  );
  assert.equal(dataset.train.images.length, dataset.train.count * PIXELS);
  // Both splits keep file order.
  for (const [i, source] of kept.entries()) {
    assertImage(dataset.train, i, fake.trainImages, source, fake.trainLabels[source] as number);
  }
  for (const [i, source] of validation.entries()) {
    assertImage(
      dataset.validation,
      i,
      fake.trainImages,
      source,
      fake.trainLabels[source] as number,
    );
  }
  for (let i = 0; i < format.testRecords; i += 1) {
    assertImage(dataset.test, i, fake.testImages, i, fake.testLabels[i] as number);
  }
}

/** Expects a DatasetUnavailableError whose message matches every pattern. */
async function assertRefused(loading: Promise<unknown>, ...patterns: (RegExp | string)[]) {
  await assert.rejects(loading, (error: Error) => {
    assert.ok(error instanceof DatasetUnavailableError, String(error));
    for (const pattern of patterns) {
      if (typeof pattern === "string") assert.ok(error.message.includes(pattern), error.message);
      else assert.match(error.message, pattern);
    }
    return true;
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("Fashion-MNIST", () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let noSystem: string;
  before(async () => {
    data = await tempDataDir();
    noSystem = join(data.dir, "no-system");
  });
  after(async () => {
    await data.cleanup();
  });

  test("the validation split: a fixed seeded draw of the exact size, the same every time", () => {
    const mask = validationMask(60_000, 5_000, FASHION_MNIST.validationSeed);
    assert.equal(
      mask.reduce((sum, flag) => sum + flag, 0),
      5_000,
    );
    assert.deepEqual(mask, validationMask(60_000, 5_000, FASHION_MNIST.validationSeed));
    assert.notDeepEqual(mask, validationMask(60_000, 5_000, FASHION_MNIST.validationSeed + 1));
    // Spread over the file, not a block: every tenth of it holds some.
    for (let tenth = 0; tenth < 10; tenth += 1) {
      const held = mask.subarray(tenth * 6_000, (tenth + 1) * 6_000).reduce((s, f) => s + f, 0);
      assert.ok(held > 350 && held < 650, `tenth ${tenth}: ${held}`);
    }
    assert.throws(() => validationMask(10, 11, 0), /11 out of 10/);
  });

  for (const gzip of [false, true]) {
    test(`${gzip ? "gzipped" : "plain"} IDX files under DATASETS_DIR/fashion-mnist`, async () => {
      const dir = join(data.dir, gzip ? "gz" : "plain");
      const fake = fakeIdxDataset(tiny, gzip ? 1 : 2);
      await writeIdxFiles(join(dir, "fashion-mnist"), tiny, fake, { gzip });
      assertReadAs(await readFashionMnist(dir, noSystem, tiny), fake, tiny);
    });
  }

  test("the system directory is read when DATASETS_DIR has none of the files; DATASETS_DIR first", async () => {
    const system = join(data.dir, "usr-share-datasets");
    const fromSystem = fakeIdxDataset(tiny, 3);
    await writeIdxFiles(join(system, "fashion-mnist"), tiny, fromSystem, { gzip: true });
    const empty = join(data.dir, "empty");
    assertReadAs(await readFashionMnist(empty, system, tiny), fromSystem, tiny);

    const mounted = join(data.dir, "mounted-too");
    const fromMounted = fakeIdxDataset(tiny, 4);
    await writeIdxFiles(join(mounted, "fashion-mnist"), tiny, fromMounted, { gzip: false });
    assertReadAs(await readFashionMnist(mounted, system, tiny), fromMounted, tiny);

    // A partial copy under DATASETS_DIR is reported, not bypassed.
    const partial = join(data.dir, "partial");
    await writeIdxFiles(join(partial, "fashion-mnist"), tiny, fromMounted, { gzip: true });
    await rename(
      join(partial, "fashion-mnist/t10k-labels-idx1-ubyte.gz"),
      join(partial, "fashion-mnist/t10k-labels.gz"),
    );
    const folder = join(partial, "fashion-mnist");
    await assertRefused(
      readFashionMnist(partial, system, tiny),
      `${folder} holds some of its files but not all`,
      `${join(folder, "train-images-idx3-ubyte")}[.gz]: present`,
      `${join(folder, "t10k-labels-idx1-ubyte")}[.gz]: missing`,
      "apt-get install dataset-fashion-mnist",
    );
  });

  test("no files anywhere: the error names both directories and how to get the files", async () => {
    const dir = join(data.dir, "nothing");
    const system = join(data.dir, "no-package");
    await assertRefused(
      readFashionMnist(dir, system, tiny),
      `none of its files is in ${join(dir, "fashion-mnist")} or ${join(system, "fashion-mnist")}`,
      "`apt-get install dataset-fashion-mnist`",
      "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz",
    );
    await assertRefused(
      loadDataset("fashion-mnist", { dataDir: dir, systemDatasetsDir: null }),
      `none of its files is in ${join(dir, "fashion-mnist")};`,
    );
  });

  /**
   * Each corruption of one file, and what the error must say about it. `write` gets the file's
   * correct bytes (uncompressed) and returns what to write instead, as `file` or `file.gz`.
   */
  const corruptions: {
    name: string;
    file: string;
    write(plain: Buffer, fake: FakeIdxDataset): Buffer;
    gzip: boolean;
    says: RegExp;
  }[] = [
    {
      name: "a truncated plain file",
      file: "train-images-idx3-ubyte",
      gzip: false,
      write: (plain) => plain.subarray(0, plain.length - 100),
      says: /15,596 bytes, expected 15,696 \(a 16-byte header and 20 images of 784 bytes\): truncated/,
    },
    {
      name: "a truncated gzip file",
      file: "t10k-images-idx3-ubyte",
      gzip: true,
      write: (plain) => {
        const gz = gzipSync(plain);
        return gz.subarray(0, gz.length - 30);
      },
      says: /is not a usable images file: not valid gzip data \(unexpected end of file\)/,
    },
    {
      name: "bytes after the data",
      file: "train-labels-idx1-ubyte",
      gzip: true,
      write: (plain) => gzipSync(Buffer.concat([plain, Buffer.from([1, 2, 3])])),
      says: /31 bytes, expected 28 \(a 8-byte header and 20 labels of 1 byte\): trailing bytes/,
    },
    {
      name: "a labels file where the images belong",
      file: "train-images-idx3-ubyte",
      gzip: false,
      write: (_plain, fake) => encodeIdx(20, [], fake.trainLabels),
      says: /magic number 0x00000801 \(unsigned bytes, 1 dimension\), expected 0x00000803 \(unsigned bytes, 3 dimensions: images\)/,
    },
    {
      name: "not an IDX file at all",
      file: "t10k-labels-idx1-ubyte",
      gzip: false,
      write: () => Buffer.from("<html>404 Not Found</html>"),
      says: /magic number 0x3c68746d \(not an IDX file\), expected 0x00000801/,
    },
    {
      name: "fewer images than the format has",
      file: "train-images-idx3-ubyte",
      gzip: true,
      write: (_plain, fake) =>
        gzipSync(encodeIdx(19, [28, 28], fake.trainImages.subarray(0, 19 * PIXELS))),
      says: /holds 19 images, expected 20/,
    },
    {
      name: "images of another size (MNIST-like 32x32)",
      file: "t10k-images-idx3-ubyte",
      gzip: false,
      write: () => encodeIdx(6, [32, 32], new Uint8Array(6 * 32 * 32)),
      says: /images of 32x32, expected 28x28/,
    },
    {
      name: "a label beyond the classes",
      file: "t10k-labels-idx1-ubyte",
      gzip: true,
      write: () => gzipSync(encodeIdx(6, [], Uint8Array.from([0, 1, 2, 12, 4, 5]))),
      says: /is not a usable labels file: label 12 at item 3, and there are 10 classes/,
    },
    {
      name: "an empty file",
      file: "train-labels-idx1-ubyte",
      gzip: false,
      write: () => Buffer.alloc(0),
      says: /0 bytes, too short for an IDX header/,
    },
  ];

  for (const corruption of corruptions) {
    test(`refused, naming the file and the fault: ${corruption.name}`, async () => {
      const dir = join(data.dir, `corrupt-${corruptions.indexOf(corruption)}`);
      const folder = join(dir, "fashion-mnist");
      const fake = fakeIdxDataset(tiny, 5);
      await writeIdxFiles(folder, tiny, fake, { gzip: corruption.gzip });
      const file = fashionMnistFiles(tiny).find((f) => f.name === corruption.file);
      assert.ok(file);
      const { count, itemShape } = file.expected;
      const plain = encodeIdx(count, itemShape, fake[file.role]);
      const path = join(folder, corruption.gzip ? `${corruption.file}.gz` : corruption.file);
      await writeFile(path, corruption.write(plain, fake));
      await assertRefused(
        readFashionMnist(dir, noSystem, tiny),
        new RegExp(`^dataset fashion-mnist: ${escapeRegExp(path)} is not a usable`),
        corruption.says,
      );
    });
  }

  test("listed by GET /datasets' catalogue: missing files, then available, then a bad one", async () => {
    const dir = join(data.dir, "listed");
    const find = async (systemDatasetsDir: string | null) =>
      (await listDatasets({ dataDir: dir, systemDatasetsDir })).find(
        (info) => info.name === "fashion-mnist",
      );
    let info = await find(null);
    assert.deepEqual(
      { ...info, description: undefined },
      {
        name: "fashion-mnist",
        description: undefined,
        classes: 10,
        inputShape: [28, 28, 1],
        trainSize: 55_000,
        validationSize: 5_000,
        testSize: 10_000,
        source: "mounted",
        available: false,
        missingFiles: [
          "fashion-mnist/train-images-idx3-ubyte.gz",
          "fashion-mnist/train-labels-idx1-ubyte.gz",
          "fashion-mnist/t10k-images-idx3-ubyte.gz",
          "fashion-mnist/t10k-labels-idx1-ubyte.gz",
        ],
      },
    );
    // Where it looked, and how to install: the description carries it (the route shows it).
    const system = join(data.dir, "listed-system");
    info = await find(system);
    assert.ok(
      info?.description.includes(
        `looked in ${join(dir, "fashion-mnist")}, then ${join(system, "fashion-mnist")}: install them with \`apt-get install dataset-fashion-mnist\``,
      ),
      info?.description,
    );

    // Real-size files (sparse, plain) in the system directory: available, read from there.
    await writeSparseIdxFiles(join(system, "fashion-mnist"), FASHION_MNIST);
    info = await find(system);
    assert.equal(info?.available, true);
    assert.deepEqual(info?.missingFiles, []);
    assert.ok(info?.description.endsWith(`read from ${join(system, "fashion-mnist")}`));

    // A short file and a gzipped file whose trailer says another size: listed by full path.
    await truncate(join(system, "fashion-mnist/t10k-labels-idx1-ubyte"), 10_007);
    await writeFile(
      join(system, "fashion-mnist/train-labels-idx1-ubyte.gz"),
      gzipSync(encodeIdx(10, [], new Uint8Array(10))),
    );
    info = await find(system);
    assert.equal(info?.available, false);
    assert.deepEqual(info?.missingFiles, [join(system, "fashion-mnist/t10k-labels-idx1-ubyte")]);
    // The plain file is found first; without it the gzipped one is checked, and refused.
    await rename(
      join(system, "fashion-mnist/train-labels-idx1-ubyte"),
      join(system, "fashion-mnist/elsewhere"),
    );
    info = await find(system);
    assert.deepEqual(info?.missingFiles, [
      join(system, "fashion-mnist/train-labels-idx1-ubyte.gz"),
      join(system, "fashion-mnist/t10k-labels-idx1-ubyte"),
    ]);
  });

  const installed = existsSync("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz");
  test("the real files of Debian's dataset-fashion-mnist: counts, balance, pinned labels", {
    skip: installed ? false : "not installed: apt-get install dataset-fashion-mnist",
  }, async () => {
    // An empty DATASETS_DIR: found through the default system directory.
    const dataset = await loadDataset("fashion-mnist", { dataDir: join(data.dir, "none") });
    assert.deepEqual(
      [dataset.train.count, dataset.validation.count, dataset.test.count],
      [55_000, 5_000, 10_000],
    );
    assert.equal(dataset.train.images.length, 55_000 * PIXELS);
    const perClass = (labels: Uint8Array) => {
      const counts = new Array<number>(10).fill(0);
      for (const label of labels) counts[label] = (counts[label] as number) + 1;
      return counts;
    };
    // Fashion-MNIST is balanced: 6,000 training and 1,000 test images a class.
    const train = perClass(dataset.train.labels);
    const validation = perClass(dataset.validation.labels);
    assert.deepEqual(
      train.map((n, c) => n + (validation[c] as number)),
      new Array(10).fill(6_000),
    );
    assert.deepEqual(perClass(dataset.test.labels), new Array(10).fill(1_000));
    // The held-out draw is roughly balanced too (500 expected a class).
    for (const n of validation) assert.ok(n > 440 && n < 560, validation.join(", "));
    // Pinned: the decoded labels of each split. A change means other files or another split.
    const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
    assert.equal(
      sha(dataset.train.labels),
      "3517f59522554a4ab8e2ef43a38ae2aeff0cc9976ae326215629b50faf077dcc",
    );
    assert.equal(
      sha(dataset.validation.labels),
      "706d61c259c64ce72e62839b69d0f2bce12cb74ae0e12a6a44596e680dc116d0",
    );
    assert.equal(
      sha(dataset.test.labels),
      "3d0e6c6ea990b53b6f8f500a41cac93881d981b315f84578b7d915342ade01e9",
    );
    assert.equal(
      sha(dataset.test.images),
      "c867c93ff95360594e8ec3287995350b824dd110b11595c0e13d5423f621867a",
    );
    const listed = (await listDatasets({ dataDir: join(data.dir, "none") })).find(
      (info) => info.name === "fashion-mnist",
    );
    assert.equal(listed?.available, true);
    assert.ok(listed?.description.endsWith("read from /usr/share/datasets/fashion-mnist"));
  });
});
