import type { Nb201Dataset } from "@nasvae/contracts";
import { NB201_DATASET_INFO } from "./datasets.ts";
import { nasBench201TableSha256 } from "./table.ts";
import { nb201XValidTablePath, nb201XValidTableSha256 } from "./x-valid-table.ts";

/**
 * The versions (sha256 of the file bytes) of every table a dataset's results are read from, as
 * the evaluator fingerprint's payload holds them: `table` is nb201.csv (every dataset: costs and
 * arch_index), `xValidTable` the x-valid table, for the datasets whose accuracies come from it
 * (CIFAR-100, ImageNet16-120). CIFAR-10's payload is thus what it was before that table existed,
 * and its cached results stay valid, while CIFAR-100 and ImageNet16-120 results cached when their
 * test accuracy doubled as validation accuracy no longer match.
 */
export async function nasBench201DataVersion(
  dataset: Nb201Dataset,
  nb201TablePath?: string,
): Promise<{ table: { sha256: string }; xValidTable?: { sha256: string } }> {
  const table = { sha256: await nasBench201TableSha256(nb201TablePath) };
  if (NB201_DATASET_INFO[dataset].accuracyTable === "nb201") return { table };
  const xValidSha256 = await nb201XValidTableSha256(nb201XValidTablePath(nb201TablePath));
  return { table, xValidTable: { sha256: xValidSha256 } };
}
