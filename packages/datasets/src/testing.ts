// Fake dataset files for tests (`@nasvae/datasets/testing`): CIFAR files of small formats written
// in full, or of the real size but sparse (zeros but for a few records), so that nothing large is
// written to disk; IDX files (Fashion-MNIST), plain or gzipped.
import { mkdir, mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { createRandom } from "@nasvae/search-space";
import { type CifarFormat, expectedFiles } from "./cifar-format.ts";
import { type FashionMnistFormat, fashionMnistFiles } from "./fashion-mnist-format.ts";
import { idxFileBytes } from "./idx-file.ts";

/** A temporary directory, removed by `cleanup`. */
export async function tempDataDir(): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "nasvae-datasets-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** One record as the file holds it: label bytes, then the image in CHW order. */
export interface FakeRecord {
  labels: number[];
  chw: Uint8Array;
}

/** Random records with the given labels (one array per record: coarse and fine for CIFAR-100). */
export function fakeRecords(format: CifarFormat, labels: number[][], seed: number): FakeRecord[] {
  const random = createRandom(seed);
  const size = format.imageSize * format.imageSize * format.channels;
  return labels.map((recordLabels) => ({
    labels: recordLabels,
    chw: Uint8Array.from({ length: size }, () => random.int(256)),
  }));
}

export function encodeRecords(records: FakeRecord[]): Buffer {
  return Buffer.concat(records.map((r) => Buffer.concat([Buffer.from(r.labels), r.chw])));
}

/** Writes `bytes` at `position` of `path` (created with its folders) and sets its size. */
export async function writeAt(
  path: string,
  size: number,
  writes: { position: number; bytes: Uint8Array }[],
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, "w");
  try {
    await handle.truncate(size);
    for (const { position, bytes } of writes) await handle.write(bytes, 0, bytes.length, position);
  } finally {
    await handle.close();
  }
}

/** Every file of `format` at its exact size, zeros (sparse): what listDatasets accepts. */
export async function writeSparseFiles(dir: string, format: CifarFormat): Promise<void> {
  for (const file of expectedFiles(format)) await writeAt(join(dir, file.path), file.bytes, []);
}

/** An IDX file of unsigned bytes: magic number, the sizes (`count`, then `itemShape`), `data`. */
export function encodeIdx(
  count: number,
  itemShape: readonly number[],
  data: Uint8Array,
  magic = (0x08 << 8) | (itemShape.length + 1),
): Buffer {
  const header = Buffer.alloc(4 * (itemShape.length + 2));
  header.writeUInt32BE(magic, 0);
  header.writeUInt32BE(count, 4);
  for (const [i, size] of itemShape.entries()) header.writeUInt32BE(size, 8 + 4 * i);
  return Buffer.concat([header, data]);
}

/** The contents of a Fashion-MNIST-like dataset: images (bytes, row-major) and labels. */
export interface FakeIdxDataset {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

/** Random images and labels (label i % classes for image i) for every file of `format`. */
export function fakeIdxDataset(format: FashionMnistFormat, seed: number): FakeIdxDataset {
  const random = createRandom(seed);
  const pixels = format.imageSize * format.imageSize * format.channels;
  const images = (count: number) =>
    Uint8Array.from({ length: count * pixels }, () => random.int(256));
  const labels = (count: number) =>
    Uint8Array.from({ length: count }, (_, i) => i % format.classes);
  return {
    trainImages: images(format.trainRecords),
    trainLabels: labels(format.trainRecords),
    testImages: images(format.testRecords),
    testLabels: labels(format.testRecords),
  };
}

/** Writes the four files of `format` into `dir` (created), gzipped (`name.gz`) or not. */
export async function writeIdxFiles(
  dir: string,
  format: FashionMnistFormat,
  dataset: FakeIdxDataset,
  options: { gzip: boolean },
): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const file of fashionMnistFiles(format)) {
    const bytes = encodeIdx(file.expected.count, file.expected.itemShape, dataset[file.role]);
    const path = join(dir, options.gzip ? `${file.name}.gz` : file.name);
    await writeFile(path, options.gzip ? gzipSync(bytes) : bytes);
  }
}

/** Every file of `format` at its exact size with a valid header, data zeros (sparse, plain). */
export async function writeSparseIdxFiles(dir: string, format: FashionMnistFormat): Promise<void> {
  for (const file of fashionMnistFiles(format)) {
    const header = encodeIdx(file.expected.count, file.expected.itemShape, new Uint8Array());
    await writeAt(join(dir, file.name), idxFileBytes(file.expected), [
      { position: 0, bytes: header },
    ]);
  }
}
