import type { Nb201NumericColumn } from "./table.ts";

/** NAS-Bench-201 datasets, spelled as in the benchmark. */
export const NB201_DATASETS = ["cifar10", "cifar100", "ImageNet16-120"] as const;

export type Nb201Dataset = (typeof NB201_DATASETS)[number];

export function isNb201Dataset(value: unknown): value is Nb201Dataset {
  return typeof value === "string" && (NB201_DATASETS as readonly string[]).includes(value);
}

/** Per-dataset network head/input (for networkCost) and the table columns used. */
export interface Nb201DatasetInfo {
  readonly classes: number;
  /** Input resolution: CIFAR images are 32x32, ImageNet16-120 images 16x16. */
  readonly inputSize: number;
  readonly validationColumn: Nb201NumericColumn;
  readonly testColumn: Nb201NumericColumn;
}

/*
 * CIFAR-10 follows the NAS-Bench-201 protocol: the search sees the `cifar10-valid` validation
 * accuracy and the `cifar10` (train+valid) test accuracy is reported. The table has no
 * 200-epoch validation accuracy for CIFAR-100 and ImageNet16-120 (see data/nasbench/README.md),
 * so their test accuracy (`x-test` split) is used for both.
 */
export const NB201_DATASET_INFO: Readonly<Record<Nb201Dataset, Nb201DatasetInfo>> = {
  cifar10: {
    classes: 10,
    inputSize: 32,
    validationColumn: "cifar10_valid_acc",
    testColumn: "cifar10_test_acc",
  },
  cifar100: {
    classes: 100,
    inputSize: 32,
    validationColumn: "cifar100_test_acc",
    testColumn: "cifar100_test_acc",
  },
  "ImageNet16-120": {
    classes: 120,
    inputSize: 16,
    validationColumn: "imagenet16_test_acc",
    testColumn: "imagenet16_test_acc",
  },
};
