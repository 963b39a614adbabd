/**
 * The image datasets a train evaluator can train on (@nasvae/datasets reads each one), spelled
 * as a train spec's `dataset` names them.
 */
export const DATASET_NAMES = ["synthetic-shapes", "cifar10", "cifar100", "fashion-mnist"] as const;

export type DatasetName = (typeof DATASET_NAMES)[number];
