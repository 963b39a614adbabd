import type { Nb201Dataset } from "@nasvae/contracts";
import type { Nb201NumericColumn } from "./table.ts";
import { NB201_X_VALID_FILE_NAME, type Nb201XValidColumn } from "./x-valid-table.ts";

/** Which table file a dataset's accuracies are read from. */
export type Nb201AccuracyTable = "nb201" | "nb201_x_valid";

/** Per-dataset network head/input (for networkCost) and the table columns used. */
export type Nb201DatasetInfo = {
  readonly classes: number;
  /** Input resolution: CIFAR images are 32x32, ImageNet16-120 images 16x16. */
  readonly inputSize: number;
} & (
  | {
      readonly accuracyTable: "nb201";
      readonly validationColumn: Nb201NumericColumn;
      readonly testColumn: Nb201NumericColumn;
    }
  | {
      readonly accuracyTable: "nb201_x_valid";
      readonly validationColumn: Nb201XValidColumn;
      readonly testColumn: Nb201XValidColumn;
    }
);

/*
 * NAS-Bench-201 protocol: the search sees a validation accuracy, the test accuracy is reported.
 * CIFAR-10: `cifar10-valid` x-valid accuracy, and the `cifar10` (train+valid) test accuracy, both
 * from nb201.csv. CIFAR-100 and ImageNet16-120: x-valid and x-test accuracies, both from
 * nb201_x_valid.csv (nb201.csv has no validation accuracy for them; taking both figures from the
 * same file keeps signal and reported figure from the same training runs).
 */
export const NB201_DATASET_INFO: Readonly<Record<Nb201Dataset, Nb201DatasetInfo>> = {
  cifar10: {
    classes: 10,
    inputSize: 32,
    accuracyTable: "nb201",
    validationColumn: "cifar10_valid_acc",
    testColumn: "cifar10_test_acc",
  },
  cifar100: {
    classes: 100,
    inputSize: 32,
    accuracyTable: "nb201_x_valid",
    validationColumn: "cifar100_valid_acc",
    testColumn: "cifar100_test_acc",
  },
  "ImageNet16-120": {
    classes: 120,
    inputSize: 16,
    accuracyTable: "nb201_x_valid",
    validationColumn: "imagenet16_valid_acc",
    testColumn: "imagenet16_test_acc",
  },
};

/** Where a dataset's validation or test accuracy comes from, as "file column" (for reports). */
export function nb201ColumnSource(dataset: Nb201Dataset, figure: "validation" | "test"): string {
  const info = NB201_DATASET_INFO[dataset];
  const file = info.accuracyTable === "nb201" ? "nb201.csv" : NB201_X_VALID_FILE_NAME;
  return `${file} ${figure === "validation" ? info.validationColumn : info.testColumn}`;
}
