import { resolve } from "node:path";
import { CIFAR10, CIFAR100, type CifarFormat, totalRecords } from "./cifar-format.ts";
import { checkCifarFiles, readCifar } from "./cifar-reader.ts";
import type { DatasetInfo, ImageDataset } from "./dataset.ts";
import { generateSyntheticShapes, SYNTHETIC_SHAPES } from "./synthetic-shapes.ts";

/** Every dataset a train evaluation can name; the generated one first (it is always there). */
export const DATASET_NAMES = ["synthetic-shapes", "cifar10", "cifar100"] as const;

export type DatasetName = (typeof DATASET_NAMES)[number];

export function isDatasetName(name: unknown): name is DatasetName {
  return (DATASET_NAMES as readonly unknown[]).includes(name);
}

/**
 * Where the mounted datasets are looked for when no directory is given: `./datasets` under the
 * working directory (the DATASETS_DIR default; the container images mount /data/datasets).
 */
export const DEFAULT_DATASETS_DIR = "./datasets";

export interface DatasetOptions {
  /** The directory holding the mounted datasets (DATASETS_DIR); default DEFAULT_DATASETS_DIR. */
  readonly dataDir?: string;
}

/** A name that is not one of DATASET_NAMES. */
export class UnknownDatasetError extends Error {
  override name = "UnknownDatasetError";
  constructor(name: string) {
    super(`unknown dataset "${name}": the datasets are ${DATASET_NAMES.join(", ")}`);
  }
}

const cifarFormats: Record<Exclude<DatasetName, "synthetic-shapes">, CifarFormat> = {
  cifar10: CIFAR10,
  cifar100: CIFAR100,
};

/**
 * What each dataset is and whether it can be loaded from `dataDir`. Checks the mounted files by
 * their sizes only, so it is cheap enough for every `GET /datasets`.
 */
export async function listDatasets(options: DatasetOptions = {}): Promise<DatasetInfo[]> {
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATASETS_DIR);
  const generated: DatasetInfo = {
    name: SYNTHETIC_SHAPES.name,
    description: SYNTHETIC_SHAPES.description,
    classes: SYNTHETIC_SHAPES.classes,
    inputShape: [SYNTHETIC_SHAPES.imageSize, SYNTHETIC_SHAPES.imageSize, SYNTHETIC_SHAPES.channels],
    trainSize: SYNTHETIC_SHAPES.trainSize,
    validationSize: SYNTHETIC_SHAPES.validationSize,
    testSize: SYNTHETIC_SHAPES.testSize,
    source: "generated",
    available: true,
    missingFiles: [],
  };
  const mounted = await Promise.all(
    Object.values(cifarFormats).map(async (format): Promise<DatasetInfo> => {
      const checks = await checkCifarFiles(dataDir, format);
      const missingFiles = checks.filter((check) => check.problem !== null).map((c) => c.path);
      const trainRecords = totalRecords(format.trainFiles);
      return {
        name: format.name,
        description: format.description,
        classes: format.classes,
        inputShape: [format.imageSize, format.imageSize, format.channels],
        trainSize: trainRecords - format.validationSize,
        validationSize: format.validationSize,
        testSize: totalRecords(format.testFiles),
        source: "mounted",
        available: missingFiles.length === 0,
        missingFiles,
      };
    }),
  );
  return [generated, ...mounted];
}

/**
 * Loads a dataset into memory: generated (well under a second), or read from `dataDir`. Throws
 * an UnknownDatasetError for a name not in DATASET_NAMES, and a DatasetUnavailableError naming
 * every expected file and the directory when a mounted dataset's files are absent or malformed.
 * Nothing is cached here: a CIFAR training set is 150 MB, so the caller decides what to keep.
 */
export async function loadDataset(
  name: string,
  options: DatasetOptions = {},
): Promise<ImageDataset> {
  if (!isDatasetName(name)) throw new UnknownDatasetError(name);
  if (name === "synthetic-shapes") return generateSyntheticShapes();
  return readCifar(resolve(options.dataDir ?? DEFAULT_DATASETS_DIR), cifarFormats[name]);
}
