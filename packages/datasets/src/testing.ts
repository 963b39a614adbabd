// Fake CIFAR files for tests (`@nasvae/datasets/testing`): small formats written in full, or files
// of the real size that are sparse (zeros but for a few records), so that nothing large is
// written to disk.
import { mkdir, mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createRandom } from "@nasvae/search-space";
import { type CifarFormat, expectedFiles } from "./cifar-format.ts";

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
