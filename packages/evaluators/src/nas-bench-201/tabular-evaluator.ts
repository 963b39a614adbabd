import {
  isNb201Dataset,
  type NasBench201EvaluatorSpec,
  NB201_DATASETS,
  type Nb201Dataset,
} from "@nasvae/contracts";
import { formatArchString, networkCost, parseArchString } from "@nasvae/search-space";
import type { EvaluationResult, Evaluator } from "../evaluator.ts";
import { evaluatorFingerprint } from "../fingerprint.ts";
import type { EvaluatorOptions } from "../options.ts";
import { NB201_DATASET_INFO } from "./datasets.ts";
import { loadNasBench201Table } from "./table.ts";
import { loadNb201XValidTable, nb201XValidTablePath } from "./x-valid-table.ts";

export interface Nb201EvaluationResult extends EvaluationResult {
  /** The table has a test figure for every architecture and dataset. */
  testAccuracy: number;
  dataset: Nb201Dataset;
  metrics: {
    /** NAS-Bench-201 / NATS-Bench-TSS index of the architecture. */
    archIndex: number;
    source: "nas-bench-201-table";
    /** Table file (nb201.csv or nb201_x_valid.csv) and columns behind the accuracies. */
    accuracyTable: string;
    validationColumn: string;
    testColumn: string;
  };
}

/**
 * Looks architectures up in the NAS-Bench-201 table (200-epoch, mean over seeds).
 * See NB201_DATASET_INFO for which file and columns are validation/test per dataset (CIFAR-100
 * and ImageNet16-120: nb201_x_valid.csv, next to nb201.csv); flops/params
 * come from the search-space package's layer-by-layer networkCost for that dataset's
 * classes and input size. The table is loaded on first use and shared per path.
 */
export class NasBench201TabularEvaluator implements Evaluator {
  readonly spec: NasBench201EvaluatorSpec;
  private readonly options: EvaluatorOptions;

  constructor(dataset: Nb201Dataset, options: EvaluatorOptions = {}) {
    if (!isNb201Dataset(dataset)) {
      throw new Error(
        `Unknown NAS-Bench-201 dataset "${String(dataset)}" (expected one of ${NB201_DATASETS.join(", ")})`,
      );
    }
    this.spec = { kind: "nas-bench-201", dataset };
    this.options = options;
  }

  async evaluate(archString: string): Promise<Nb201EvaluationResult> {
    const cell = parseArchString(archString); // throws a clear error if malformed
    const table = await loadNasBench201Table(this.options.nb201TablePath);
    const row = table.byArch.get(formatArchString(cell));
    if (!row) {
      throw new Error(
        `Architecture "${archString}" is not in the NAS-Bench-201 table ${table.path}`,
      );
    }
    const dataset = this.spec.dataset;
    const info = NB201_DATASET_INFO[dataset];
    const cost = networkCost(cell, { classes: info.classes, inputSize: info.inputSize });
    let accuracies: { validation: number; test: number };
    if (info.accuracyTable === "nb201") {
      accuracies = { validation: row[info.validationColumn], test: row[info.testColumn] };
    } else {
      const xValid = await loadNb201XValidTable(nb201XValidTablePath(table.path));
      const xRow = xValid.byArch.get(row.arch_str);
      if (!xRow) {
        throw new Error(`Architecture "${row.arch_str}" is not in ${xValid.path}`);
      }
      accuracies = { validation: xRow[info.validationColumn], test: xRow[info.testColumn] };
    }
    return {
      validationAccuracy: accuracies.validation,
      testAccuracy: accuracies.test,
      flops: cost.flops,
      params: cost.params,
      dataset,
      metrics: {
        archIndex: row.arch_index,
        source: "nas-bench-201-table",
        accuracyTable: info.accuracyTable,
        validationColumn: info.validationColumn,
        testColumn: info.testColumn,
      },
    };
  }

  fingerprint(): Promise<string> {
    return evaluatorFingerprint(this.spec, this.options);
  }
}
