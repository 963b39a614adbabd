import { resolve } from "node:path";
import { DATASET_NAMES, type DatasetName } from "@nasvae/contracts";
import { CIFAR10, CIFAR100, type CifarFormat, totalRecords } from "./cifar-format.ts";
import { checkCifarFiles, readCifar } from "./cifar-reader.ts";
import type { DatasetInfo, ImageDataset } from "./dataset.ts";
import { FASHION_MNIST } from "./fashion-mnist-format.ts";
import {
  checkFashionMnist,
  displayPath,
  installHint,
  locateFashionMnist,
  readFashionMnist,
} from "./fashion-mnist-reader.ts";
import { generateSyntheticShapes, SYNTHETIC_SHAPES } from "./synthetic-shapes.ts";

// Every dataset a train evaluation can name (@nasvae/contracts); the generated one first (it is
// always there).
export { DATASET_NAMES, type DatasetName };

export function isDatasetName(name: unknown): name is DatasetName {
  return (DATASET_NAMES as readonly unknown[]).includes(name);
}

/** What a network trained on a dataset reads and predicts, known without loading it. */
export interface DatasetGeometry {
  readonly classes: number;
  /** Height = width of its images. */
  readonly imageSize: number;
  readonly channels: number;
}

/** The image geometry and class count of a dataset (e.g. to size a network before training). */
export function datasetGeometry(name: DatasetName): DatasetGeometry {
  const format =
    name === "synthetic-shapes"
      ? SYNTHETIC_SHAPES
      : name === "fashion-mnist"
        ? FASHION_MNIST
        : cifarFormats[name];
  return { classes: format.classes, imageSize: format.imageSize, channels: format.channels };
}

/**
 * Where the mounted datasets are looked for when no directory is given: `./datasets` under the
 * working directory (the DATASETS_DIR default; the container images mount /data/datasets).
 */
export const DEFAULT_DATASETS_DIR = "./datasets";

/**
 * Where system packages install datasets, looked in after DATASETS_DIR: Debian's
 * `dataset-fashion-mnist` puts its files in /usr/share/datasets/fashion-mnist.
 */
export const DEFAULT_SYSTEM_DATASETS_DIR = "/usr/share/datasets";

export interface DatasetOptions {
  /** The directory holding the mounted datasets (DATASETS_DIR); default DEFAULT_DATASETS_DIR. */
  readonly dataDir?: string;
  /**
   * Looked in for Fashion-MNIST when DATASETS_DIR has none of its files; default
   * DEFAULT_SYSTEM_DATASETS_DIR; null: DATASETS_DIR only (tests that must not see the host's).
   */
  readonly systemDatasetsDir?: string | null;
}

/** A name that is not one of DATASET_NAMES. */
export class UnknownDatasetError extends Error {
  override name = "UnknownDatasetError";
  constructor(name: string) {
    super(`unknown dataset "${name}": the datasets are ${DATASET_NAMES.join(", ")}`);
  }
}

const cifarFormats: Record<"cifar10" | "cifar100", CifarFormat> = {
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
  return [generated, ...mounted, await fashionMnistInfo(dataDir, systemDir(options))];
}

const systemDir = (options: DatasetOptions) =>
  options.systemDatasetsDir === undefined ? DEFAULT_SYSTEM_DATASETS_DIR : options.systemDatasetsDir;

/**
 * Fashion-MNIST's entry. Its files may be in either of two places, so the description says
 * which directory it reads (or where it looked and how to install them): GET /datasets shows it
 * as is. `missingFiles` are relative to DATASETS_DIR when under it, full paths otherwise.
 */
async function fashionMnistInfo(
  dataDir: string,
  systemDatasetsDir: string | null,
): Promise<DatasetInfo> {
  const format = FASHION_MNIST;
  const location = await locateFashionMnist(dataDir, systemDatasetsDir, format);
  const checks = await checkFashionMnist(location);
  const missingFiles = checks
    .filter((check) => check.problem !== null)
    .map((check) => displayPath(dataDir, check.path));
  const available = missingFiles.length === 0;
  const where = available
    ? `read from ${location.directory}`
    : `looked in ${location.searched.join(", then ")}: ${installHint(location, format)}`;
  return {
    name: format.name,
    description: `${format.description}; ${where}`,
    classes: format.classes,
    inputShape: [format.imageSize, format.imageSize, format.channels],
    trainSize: format.trainRecords - format.validationSize,
    validationSize: format.validationSize,
    testSize: format.testRecords,
    source: "mounted",
    available,
    missingFiles,
  };
}

/**
 * Loads a dataset into memory: generated (well under a second), or read from `dataDir`
 * (Fashion-MNIST: or from the system datasets directory, see DatasetOptions). Throws
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
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATASETS_DIR);
  if (name === "fashion-mnist") return readFashionMnist(dataDir, systemDir(options), FASHION_MNIST);
  return readCifar(dataDir, cifarFormats[name]);
}
