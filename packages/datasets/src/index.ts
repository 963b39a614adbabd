export {
  DATASET_NAMES,
  type DatasetName,
  type DatasetOptions,
  DEFAULT_DATASETS_DIR,
  isDatasetName,
  listDatasets,
  loadDataset,
  UnknownDatasetError,
} from "./catalogue.ts";
export { CIFAR10, CIFAR100, type CifarFile, type CifarFormat } from "./cifar-format.ts";
export {
  type DatasetInfo,
  DatasetUnavailableError,
  type ImageDataset,
  type ImageSplit,
} from "./dataset.ts";
export { SHAPE_CLASSES, type ShapeClass } from "./shapes.ts";
export {
  generateSyntheticShapes,
  SYNTHETIC_SHAPES,
  type SyntheticShapesOptions,
} from "./synthetic-shapes.ts";
