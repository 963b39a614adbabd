import { DEFAULT_TRAIN_MEMORY_LIMIT_MB, type TrainEvaluatorSpec } from "@nasvae/contracts";
import { datasetGeometry } from "@nasvae/datasets";
// The pure estimate (@nasvae/search-space): the API must not load TensorFlow.js to check a spec.
import {
  ENAS_SEARCH_SPACE_ID,
  enasTrainingMemory,
  nb201TrainingMemory,
  type TrainingMemoryEstimate,
} from "@nasvae/search-space";

/**
 * The memory a worker needs to train the spec's network for cells of `searchSpaceId` (the worst
 * cell of the space): parameters, gradients, optimiser slots and activations times the batch
 * (network/memory.ts of @nasvae/search-space). The dataset's geometry sizes the network.
 */
export function trainSpecMemory(
  spec: TrainEvaluatorSpec,
  searchSpaceId: string,
): TrainingMemoryEstimate {
  const { classes, imageSize, channels: inputChannels } = datasetGeometry(spec.dataset);
  const input = { classes, imageSize, inputChannels };
  const recipe = { batchSize: spec.batchSize, optimizer: spec.optimizer };
  return searchSpaceId === ENAS_SEARCH_SPACE_ID
    ? enasTrainingMemory({ ...input, channels: spec.channels }, recipe)
    : nb201TrainingMemory(
        { ...input, channels: spec.channels, cellsPerStage: spec.cellsPerStage },
        recipe,
      );
}

/**
 * Why a worker cannot train the spec (its estimate is above `limitMb` MiB), with both figures
 * and what to lower; null when it fits.
 */
export function trainMemoryProblem(
  spec: TrainEvaluatorSpec,
  searchSpaceId: string,
  limitMb: number = DEFAULT_TRAIN_MEMORY_LIMIT_MB,
): string | null {
  const estimate = trainSpecMemory(spec, searchSpaceId);
  const limitBytes = limitMb * 2 ** 20;
  if (estimate.totalBytes <= limitBytes) return null;
  const mib = (bytes: number) => `${Math.ceil(bytes / 2 ** 20)} MiB`;
  return (
    `the train spec needs about ${mib(estimate.totalBytes)} of worker memory ` +
    `(activations ${mib(estimate.activationBytes)} at batchSize ${spec.batchSize}, ` +
    `parameters ${mib(estimate.parameterBytes)}, gradients and optimizer state ` +
    `${mib(estimate.optimizerBytes)}), above the limit of ${limitMb} MiB ` +
    `(TRAIN_MEMORY_LIMIT_MB): lower batchSize or channels${searchSpaceId === ENAS_SEARCH_SPACE_ID ? "" : " or cellsPerStage"}`
  );
}
