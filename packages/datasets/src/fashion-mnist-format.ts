import type { IdxExpectation } from "./idx-file.ts";

/**
 * Fashion-MNIST (https://github.com/zalandoresearch/fashion-mnist): 70,000 28x28 greyscale images
 * of clothing in 10 classes, as four IDX files, gzipped as distributed or not. Debian's package
 * `dataset-fashion-mnist` installs them under /usr/share/datasets/fashion-mnist.
 */
export interface FashionMnistFormat {
  readonly name: "fashion-mnist";
  readonly description: string;
  readonly classes: number;
  readonly imageSize: number;
  readonly channels: number;
  /** Images in the training files (60,000) and the test files (10,000). */
  readonly trainRecords: number;
  readonly testRecords: number;
  /**
   * This many training images, drawn by a seeded shuffle (`validationSeed`), are held out as the
   * validation split, the search signal; the test files are the reported split. The same on every
   * machine; the rest keep their file order, so a trainSamples prefix is a fixed subset.
   */
  readonly validationSize: number;
  readonly validationSeed: number;
  /** The folder under DATASETS_DIR looked in first, then under the system datasets directory. */
  readonly folder: string;
  /** File names without `.gz`; either form is read. */
  readonly files: {
    readonly trainImages: string;
    readonly trainLabels: string;
    readonly testImages: string;
    readonly testLabels: string;
  };
  /** The one command that installs the system package (files under /usr/share/datasets). */
  readonly installCommand: string;
}

export const FASHION_MNIST: FashionMnistFormat = {
  name: "fashion-mnist",
  description:
    "Fashion-MNIST: 70,000 28x28 greyscale images of clothing in 10 classes; 5,000 training images drawn by a fixed seed are the validation split, the 10,000 test images the test split",
  classes: 10,
  imageSize: 28,
  channels: 1,
  trainRecords: 60_000,
  testRecords: 10_000,
  validationSize: 5_000,
  validationSeed: 0x00f4_5410,
  folder: "fashion-mnist",
  files: {
    trainImages: "train-images-idx3-ubyte",
    trainLabels: "train-labels-idx1-ubyte",
    testImages: "t10k-images-idx3-ubyte",
    testLabels: "t10k-labels-idx1-ubyte",
  },
  installCommand: "apt-get install dataset-fashion-mnist",
};

export type FashionMnistFile = keyof FashionMnistFormat["files"];

/** The four files in a fixed order, with what each must hold. */
export function fashionMnistFiles(
  format: FashionMnistFormat,
): { readonly role: FashionMnistFile; readonly name: string; readonly expected: IdxExpectation }[] {
  const images = (count: number): IdxExpectation => ({
    items: "images",
    count,
    itemShape: [format.imageSize, format.imageSize],
  });
  const labels = (count: number): IdxExpectation => ({ items: "labels", count, itemShape: [] });
  return [
    { role: "trainImages", name: format.files.trainImages, expected: images(format.trainRecords) },
    { role: "trainLabels", name: format.files.trainLabels, expected: labels(format.trainRecords) },
    { role: "testImages", name: format.files.testImages, expected: images(format.testRecords) },
    { role: "testLabels", name: format.files.testLabels, expected: labels(format.testRecords) },
  ];
}
