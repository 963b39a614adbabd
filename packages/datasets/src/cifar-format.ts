/**
 * The layouts of the CIFAR binary versions, as https://www.cs.toronto.edu/~kriz/cifar.html
 * describes them: fixed-size records of label byte(s) followed by the image as three 32x32 planes
 * (red, green, blue: CHW order), row-major.
 */
export interface CifarFormat {
  readonly name: "cifar10" | "cifar100";
  readonly description: string;
  readonly classes: number;
  readonly imageSize: number;
  readonly channels: number;
  /** Label bytes before each image: 1 for CIFAR-10, 2 (coarse, fine) for CIFAR-100. */
  readonly labelBytes: number;
  /** Which of them is the label used: CIFAR-100's fine label (100 classes) is the second. */
  readonly labelOffset: number;
  /** Training files in order, relative to the datasets directory, with their record counts. */
  readonly trainFiles: readonly CifarFile[];
  readonly testFiles: readonly CifarFile[];
  /**
   * The last this many training records (in file order) are held out as the validation split,
   * the search signal; the test split is reported. Deterministic, and the same on every machine.
   */
  readonly validationSize: number;
  /** The archive to download, and the folder it extracts to (the first path segment). */
  readonly downloadUrl: string;
}

export interface CifarFile {
  readonly path: string;
  readonly records: number;
}

export const CIFAR10: CifarFormat = {
  name: "cifar10",
  description:
    "CIFAR-10 (binary version): 60,000 32x32 colour images in 10 classes; the last 5,000 training images are the validation split",
  classes: 10,
  imageSize: 32,
  channels: 3,
  labelBytes: 1,
  labelOffset: 0,
  trainFiles: [1, 2, 3, 4, 5].map((n) => ({
    path: `cifar-10-batches-bin/data_batch_${n}.bin`,
    records: 10_000,
  })),
  testFiles: [{ path: "cifar-10-batches-bin/test_batch.bin", records: 10_000 }],
  validationSize: 5_000,
  downloadUrl: "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
};

export const CIFAR100: CifarFormat = {
  name: "cifar100",
  description:
    "CIFAR-100 (binary version, fine labels): 60,000 32x32 colour images in 100 classes; the last 5,000 training images are the validation split",
  classes: 100,
  imageSize: 32,
  channels: 3,
  labelBytes: 2,
  labelOffset: 1,
  trainFiles: [{ path: "cifar-100-binary/train.bin", records: 50_000 }],
  testFiles: [{ path: "cifar-100-binary/test.bin", records: 10_000 }],
  validationSize: 5_000,
  downloadUrl: "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz",
};

/** Bytes of one record: the label byte(s), then the image. */
export function recordBytes(format: CifarFormat): number {
  return format.labelBytes + format.imageSize * format.imageSize * format.channels;
}

/** Every file the format needs with the exact size it must have. */
export function expectedFiles(format: CifarFormat): { path: string; bytes: number }[] {
  return [...format.trainFiles, ...format.testFiles].map((file) => ({
    path: file.path,
    bytes: file.records * recordBytes(format),
  }));
}

export const totalRecords = (files: readonly CifarFile[]) =>
  files.reduce((sum, file) => sum + file.records, 0);
