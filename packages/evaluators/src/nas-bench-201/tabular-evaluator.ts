import { formatArchString, networkCost, parseArchString } from "@nasvae/search-space";
import type { EvaluationResult, Evaluator } from "../evaluator.ts";
import { evaluatorFingerprint } from "../fingerprint.ts";
import type { EvaluatorOptions } from "../options.ts";
import type { NasBench201EvaluatorSpec } from "../spec.ts";
import {
  isNb201Dataset,
  NB201_DATASET_INFO,
  NB201_DATASETS,
  type Nb201Dataset,
} from "./datasets.ts";
import { loadNasBench201Table } from "./table.ts";

export interface Nb201EvaluationResult extends EvaluationResult {
  /** The table has a test figure for every architecture and dataset. */
  testAccuracy: number;
  dataset: Nb201Dataset;
  metrics: {
    /** NAS-Bench-201 / NATS-Bench-TSS index of the architecture. */
    archIndex: number;
    source: "nas-bench-201-table";
    /** Table columns behind validationAccuracy / testAccuracy. */
    validationColumn: string;
    testColumn: string;
  };
}

/**
 * Looks architectures up in the NAS-Bench-201 table (200-epoch, mean over seeds).
 * See NB201_DATASET_INFO for which columns are validation/test per dataset; flops/params
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
    return {
      validationAccuracy: row[info.validationColumn],
      testAccuracy: row[info.testColumn],
      flops: cost.flops,
      params: cost.params,
      dataset,
      metrics: {
        archIndex: row.arch_index,
        source: "nas-bench-201-table",
        validationColumn: info.validationColumn,
        testColumn: info.testColumn,
      },
    };
  }

  fingerprint(): Promise<string> {
    return evaluatorFingerprint(this.spec, this.options);
  }
}
