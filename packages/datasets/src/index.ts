export {
  DATASET_NAMES,
  type DatasetGeometry,
  type DatasetName,
  type DatasetOptions,
  DEFAULT_DATASETS_DIR,
  DEFAULT_SYSTEM_DATASETS_DIR,
  datasetGeometry,
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
export {
  FASHION_MNIST,
  type FashionMnistFile,
  type FashionMnistFormat,
  fashionMnistFiles,
} from "./fashion-mnist-format.ts";
export { readFashionMnist, validationMask } from "./fashion-mnist-reader.ts";
export { type IdxExpectation, idxFileBytes, idxProblem, readIdxData } from "./idx-file.ts";
export { SHAPE_CLASSES, type ShapeClass } from "./shapes.ts";
export {
  generateSyntheticShapes,
  SYNTHETIC_SHAPES,
  type SyntheticShapesOptions,
} from "./synthetic-shapes.ts";
