import { open, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import {
  type CifarFile,
  type CifarFormat,
  expectedFiles,
  recordBytes,
  totalRecords,
} from "./cifar-format.ts";
import { DatasetUnavailableError, type ImageDataset, type ImageSplit } from "./dataset.ts";

/** One expected file and what was found in its place: null when it is there at its size. */
export interface FileCheck {
  readonly path: string;
  readonly bytes: number;
  readonly problem: string | null;
}

/** Checks every file of `format` under `dataDir` by its size alone (reads no data). */
export async function checkCifarFiles(dataDir: string, format: CifarFormat): Promise<FileCheck[]> {
  return Promise.all(
    expectedFiles(format).map(async ({ path, bytes }) => {
      const found = await stat(join(dataDir, path)).catch(() => null);
      let problem: string | null = null;
      if (!found) problem = "missing";
      else if (!found.isFile()) problem = "not a file";
      else if (found.size !== bytes) problem = `${found.size.toLocaleString("en")} bytes`;
      return { path, bytes, problem };
    }),
  );
}

/** The error for files that are absent or of the wrong size: what was expected where, and why. */
export function unavailableError(
  dataDir: string,
  format: CifarFormat,
  checks: readonly FileCheck[],
): DatasetUnavailableError {
  const directory = resolve(dataDir);
  const archive = basename(new URL(format.downloadUrl).pathname);
  const lines = checks.map(
    (check) =>
      `  ${join(directory, check.path)} (${check.bytes.toLocaleString("en")} bytes): ${check.problem ?? "present"}`,
  );
  return new DatasetUnavailableError(
    `dataset ${format.name} is not available: it needs these files under ${directory} (DATASETS_DIR):\n` +
      `${lines.join("\n")}\n` +
      `Download the binary version, ${format.downloadUrl}, and extract it there: ` +
      `tar -xzf ${archive} -C ${directory} (docs/datasets.md)`,
  );
}

/**
 * Reads a CIFAR binary dataset from `dataDir`: images converted from CHW to HWC, the last
 * `format.validationSize` training records held out as the validation split. Throws a
 * DatasetUnavailableError naming every expected file when one is absent or of the wrong size.
 */
export async function readCifar(dataDir: string, format: CifarFormat): Promise<ImageDataset> {
  const checks = await checkCifarFiles(dataDir, format);
  if (checks.some((check) => check.problem !== null)) {
    throw unavailableError(dataDir, format, checks);
  }
  const training = await readSplit(dataDir, format, format.trainFiles);
  const test = await readSplit(dataDir, format, format.testFiles);
  const kept = training.count - format.validationSize;
  return {
    name: format.name,
    classes: format.classes,
    imageSize: format.imageSize,
    channels: format.channels,
    train: sliceSplit(format, training, 0, kept),
    validation: sliceSplit(format, training, kept, training.count),
    test,
  };
}

/** Records [from, to) of a split, sharing its memory (a 150 MB training set is not copied). */
function sliceSplit(format: CifarFormat, split: ImageSplit, from: number, to: number): ImageSplit {
  const size = format.imageSize * format.imageSize * format.channels;
  return {
    images: split.images.subarray(from * size, to * size),
    labels: split.labels.subarray(from, to),
    count: to - from,
  };
}

/** Records read per file read: about 3 MB, so a 150 MB file is never held twice. */
const RECORDS_PER_READ = 1000;

async function readSplit(
  dataDir: string,
  format: CifarFormat,
  files: readonly CifarFile[],
): Promise<ImageSplit> {
  const count = totalRecords(files);
  const pixels = format.imageSize * format.imageSize;
  const size = pixels * format.channels;
  const record = recordBytes(format);
  const images = new Uint8Array(count * size);
  const labels = new Uint8Array(count);
  const chunk = Buffer.alloc(Math.min(RECORDS_PER_READ, count) * record);
  let index = 0;
  for (const file of files) {
    const handle = await open(join(dataDir, file.path), "r");
    try {
      for (let first = 0; first < file.records; first += RECORDS_PER_READ) {
        const records = Math.min(RECORDS_PER_READ, file.records - first);
        const { bytesRead } = await handle.read(chunk, 0, records * record, first * record);
        if (bytesRead !== records * record) {
          // The size was checked; a file that shrank since is as unusable as a short one.
          throw new DatasetUnavailableError(
            `dataset ${format.name}: ${join(resolve(dataDir), file.path)} ended early (changed while read?)`,
          );
        }
        for (let r = 0; r < records; r += 1, index += 1) {
          const offset = r * record;
          const label = chunk[offset + format.labelOffset] as number;
          if (label >= format.classes) {
            throw new DatasetUnavailableError(
              `dataset ${format.name}: ${join(resolve(dataDir), file.path)} is not a ${format.name} file: record ${first + r} has label ${label}, and there are ${format.classes} classes`,
            );
          }
          labels[index] = label;
          chwToHwc(
            chunk,
            offset + format.labelBytes,
            images,
            index * size,
            pixels,
            format.channels,
          );
        }
      }
    } finally {
      await handle.close();
    }
  }
  return { images, labels, count };
}

/** Interleaves `channels` planes of `pixels` bytes (CHW) into pixel-major order (HWC). */
export function chwToHwc(
  source: Uint8Array,
  sourceOffset: number,
  target: Uint8Array,
  targetOffset: number,
  pixels: number,
  channels: number,
): void {
  for (let c = 0; c < channels; c += 1) {
    const plane = sourceOffset + c * pixels;
    for (let p = 0; p < pixels; p += 1) {
      target[targetOffset + p * channels + c] = source[plane + p] as number;
    }
  }
}
