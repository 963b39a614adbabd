/**
 * One split of an image classification dataset, kept as bytes: a CIFAR-10 training set is
 * 150 MB as uint8 and 600 MB as float32, so conversion to tensors happens batch by batch.
 */
export interface ImageSplit {
  /** `count` images, each `imageSize * imageSize * channels` bytes in HWC order, values 0..255. */
  readonly images: Uint8Array;
  /** `count` class indices in [0, classes). */
  readonly labels: Uint8Array;
  readonly count: number;
}

/** A dataset ready to train on: the validation split steers the search, test is reported. */
export interface ImageDataset {
  readonly name: string;
  readonly classes: number;
  /** Height = width of every image (32 for CIFAR). */
  readonly imageSize: number;
  /** Colour channels (3). */
  readonly channels: number;
  readonly train: ImageSplit;
  readonly validation: ImageSplit;
  readonly test: ImageSplit;
}

/** What `GET /datasets` lists: what a dataset is and whether this deployment can load it. */
export interface DatasetInfo {
  readonly name: string;
  readonly description: string;
  readonly classes: number;
  /** [height, width, channels]. */
  readonly inputShape: readonly [number, number, number];
  readonly trainSize: number;
  readonly validationSize: number;
  readonly testSize: number;
  /** Generated in-process (always available) or read from files under DATASETS_DIR. */
  readonly source: "generated" | "mounted";
  /** False when files it needs are missing; `missingFiles` then names them. */
  readonly available: boolean;
  readonly missingFiles: readonly string[];
}

/** A dataset whose files are absent or malformed: the message names what was expected where. */
export class DatasetUnavailableError extends Error {
  override name = "DatasetUnavailableError";
}
