import { stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { createRandom } from "@nasvae/search-space";
import { DatasetUnavailableError, type ImageDataset, type ImageSplit } from "./dataset.ts";
import {
  type FashionMnistFile,
  type FashionMnistFormat,
  fashionMnistFiles,
} from "./fashion-mnist-format.ts";
import { checkIdxFile, type IdxExpectation, readIdxData } from "./idx-file.ts";

/** Where the files were looked for, and which were found in the directory chosen. */
export interface FashionMnistLocation {
  /** Directories looked in, in order: DATASETS_DIR/fashion-mnist, then the system one. */
  readonly searched: readonly string[];
  /** The first of them holding any of the four files; null when none does. */
  readonly directory: string | null;
  readonly files: readonly LocatedFile[];
}

export interface LocatedFile {
  readonly role: FashionMnistFile;
  /** Name without `.gz`. */
  readonly name: string;
  readonly expected: IdxExpectation;
  /** Full path of the file found (the plain one when both forms are there); null: missing. */
  readonly path: string | null;
}

/**
 * Looks for the four files in `dataDir/<folder>`, then in `systemDatasetsDir/<folder>` (unless
 * null). A
 * directory holding any of them is used, even if some are missing, so that a partial copy under
 * DATASETS_DIR is reported rather than silently bypassed.
 */
export async function locateFashionMnist(
  dataDir: string,
  systemDatasetsDir: string | null,
  format: FashionMnistFormat,
): Promise<FashionMnistLocation> {
  const searched = [join(resolve(dataDir), format.folder)];
  if (systemDatasetsDir !== null) searched.push(join(resolve(systemDatasetsDir), format.folder));
  let fallback: LocatedFile[] | null = null;
  for (const directory of searched) {
    const files = await Promise.all(
      fashionMnistFiles(format).map(async (file) => ({
        ...file,
        path: await firstFile([join(directory, file.name), join(directory, `${file.name}.gz`)]),
      })),
    );
    if (files.some((file) => file.path !== null)) return { searched, directory, files };
    fallback ??= files;
  }
  return { searched, directory: null, files: fallback ?? [] };
}

async function firstFile(paths: string[]): Promise<string | null> {
  for (const path of paths) {
    const found = await stat(path).catch(() => null);
    if (found?.isFile()) return path;
  }
  return null;
}

/** One file as a listing reports it: null problem when it is there and of the right size. */
export interface FashionMnistCheck {
  /** The path found, or where it was expected (`<name>.gz` in the first directory searched). */
  readonly path: string;
  readonly problem: string | null;
}

/** Checks the located files cheaply (checkIdxFile: sizes and magic numbers, no decompression). */
export async function checkFashionMnist(
  location: FashionMnistLocation,
): Promise<FashionMnistCheck[]> {
  const directory = location.directory ?? (location.searched[0] as string);
  return Promise.all(
    location.files.map(async (file) => {
      if (file.path === null)
        return { path: join(directory, `${file.name}.gz`), problem: "missing" };
      const problem = await checkIdxFile(file.path, file.expected).catch(
        (error: Error) => error.message,
      );
      return { path: file.path, problem };
    }),
  );
}

/** Where a file is, said relative to DATASETS_DIR when it is under it (as CIFAR's are). */
export function displayPath(dataDir: string, path: string): string {
  const under = relative(resolve(dataDir), path);
  return under.startsWith("..") || isAbsolute(under) ? path : under;
}

/** How to get the files, for messages: the package, or a copy under DATASETS_DIR. */
export function installHint(location: FashionMnistLocation, format: FashionMnistFormat): string {
  const names = fashionMnistFiles(format)
    .map((file) => `${file.name}.gz`)
    .join(", ");
  return `install them with \`${format.installCommand}\` (Debian), or put ${names} (gzipped or not) in ${location.searched[0]} (docs/datasets.md)`;
}

function unavailableError(
  location: FashionMnistLocation,
  format: FashionMnistFormat,
): DatasetUnavailableError {
  const hint = installHint(location, format);
  if (location.directory === null) {
    return new DatasetUnavailableError(
      `dataset ${format.name} is not available: none of its files is in ${location.searched.join(" or ")}; ${hint}`,
    );
  }
  const lines = location.files.map(
    (file) =>
      `  ${join(location.directory as string, file.name)}[.gz]: ${file.path === null ? "missing" : "present"}`,
  );
  return new DatasetUnavailableError(
    `dataset ${format.name} is not available: ${location.directory} holds some of its files but not all:\n${lines.join("\n")}\n${hint}`,
  );
}

/**
 * Reads Fashion-MNIST from the first directory that has its files (locateFashionMnist), checks
 * every file in full (magic number, counts, image size, exact length, labels below `classes`)
 * and splits the training images into training and validation. Throws a DatasetUnavailableError
 * naming the directories looked in when files are missing, and the file and what is wrong with
 * it when one is malformed.
 */
export async function readFashionMnist(
  dataDir: string,
  systemDatasetsDir: string | null,
  format: FashionMnistFormat,
): Promise<ImageDataset> {
  const location = await locateFashionMnist(dataDir, systemDatasetsDir, format);
  if (location.directory === null || location.files.some((file) => file.path === null)) {
    throw unavailableError(location, format);
  }
  const data = new Map<FashionMnistFile, Uint8Array>();
  for (const file of location.files) {
    const path = file.path as string;
    let bytes: Uint8Array;
    try {
      bytes = await readIdxData(path, file.expected);
    } catch (error) {
      throw new DatasetUnavailableError(
        `dataset ${format.name}: ${path} is not a usable ${file.expected.items} file: ${(error as Error).message}`,
      );
    }
    if (file.expected.items === "labels") {
      const bad = bytes.findIndex((label) => label >= format.classes);
      if (bad >= 0) {
        throw new DatasetUnavailableError(
          `dataset ${format.name}: ${path} is not a usable labels file: label ${bytes[bad]} at item ${bad}, and there are ${format.classes} classes`,
        );
      }
    }
    data.set(file.role, bytes);
  }
  const imageBytes = format.imageSize * format.imageSize * format.channels;
  const training: ImageSplit = {
    images: data.get("trainImages") as Uint8Array,
    labels: data.get("trainLabels") as Uint8Array,
    count: format.trainRecords,
  };
  const heldOut = validationMask(format.trainRecords, format.validationSize, format.validationSeed);
  return {
    name: format.name,
    classes: format.classes,
    imageSize: format.imageSize,
    channels: format.channels,
    train: selectImages(training, imageBytes, heldOut, false),
    validation: selectImages(training, imageBytes, heldOut, true),
    test: {
      images: data.get("testImages") as Uint8Array,
      labels: data.get("testLabels") as Uint8Array,
      count: format.testRecords,
    },
  };
}

/**
 * Which of `total` images are held out: `size` of them, drawn by a partial Fisher-Yates shuffle
 * with createRandom(seed) (mulberry32: the same draw on every machine).
 */
export function validationMask(total: number, size: number, seed: number): Uint8Array {
  if (!Number.isInteger(size) || size < 0 || size > total) {
    throw new Error(`a validation split of ${size} out of ${total} images is impossible`);
  }
  const random = createRandom(seed);
  const order = Uint32Array.from({ length: total }, (_, i) => i);
  const mask = new Uint8Array(total);
  for (let i = 0; i < size; i += 1) {
    const j = i + random.int(total - i);
    const picked = order[j] as number;
    order[j] = order[i] as number;
    order[i] = picked;
    mask[picked] = 1;
  }
  return mask;
}

/** The images whose mask byte is (held out) or is not set, in file order, copied. */
function selectImages(
  split: ImageSplit,
  imageBytes: number,
  mask: Uint8Array,
  heldOut: boolean,
): ImageSplit {
  const wanted = heldOut ? 1 : 0;
  let count = 0;
  for (const flag of mask) if (flag === wanted) count += 1;
  const images = new Uint8Array(count * imageBytes);
  const labels = new Uint8Array(count);
  let next = 0;
  for (let i = 0; i < split.count; i += 1) {
    if (mask[i] !== wanted) continue;
    images.set(split.images.subarray(i * imageBytes, (i + 1) * imageBytes), next * imageBytes);
    labels[next] = split.labels[i] as number;
    next += 1;
  }
  return { images, labels, count };
}
