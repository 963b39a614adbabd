export {
  type DatasetInfo,
  DatasetUnavailableError,
  type ImageDataset,
  type ImageSplit,
} from "./dataset.ts";
