import type { Enas6TableEvaluatorSpec } from "@nasvae/contracts";
import {
  ENAS_SEARCH_SPACE_ID,
  type EnasCell,
  enasNetworkCost,
  enasSearchSpace,
} from "@nasvae/search-space";
import type { EvaluationResult, Evaluator } from "../evaluator.ts";
import { evaluatorFingerprint } from "../fingerprint.ts";
import type { EvaluatorOptions } from "../options.ts";
import { UnscorableArchitectureError } from "../unscorable-architecture.ts";
import { type Enas6Split, loadEnas6Table } from "./table.ts";

/**
 * The network the cost is computed for: CIFAR-10 (10 classes, 32×32 RGB inputs), at
 * enasNetworkCost's default width (that of the train evaluator's default network).
 */
const CIFAR10_SHAPE = { classes: 10, imageSize: 32, inputChannels: 3 } as const;

export interface Enas6EvaluationResult extends EvaluationResult {
  /** The table has no test figure (weight-sharing validation only). */
  testAccuracy: null;
  metrics: {
    /** Line of the architecture in final_structures6.txt (its first, for the 5 duplicates). */
    line: number;
    /** D-VAE's split of that line. */
    split: Enas6Split;
    source: "enas-6-table";
  };
}

/**
 * Scores an ENAS-6 architecture with its weight-sharing accuracy from D-VAE's table
 * (data/enas6/README.md): validationAccuracy = ws_acc × 100. The table has no test accuracy, so
 * testAccuracy is null rather than a figure the search could mistake for a held-out one.
 * flops/params: enasNetworkCost of the cell for CIFAR-10. The table is loaded on first
 * use and shared per path.
 */
export class Enas6TabularEvaluator implements Evaluator {
  readonly spec: Enas6TableEvaluatorSpec = { kind: "enas-6-table", dataset: "cifar10" };

  constructor(private readonly options: EvaluatorOptions = {}) {}

  async evaluate(archString: string): Promise<Enas6EvaluationResult> {
    const space = enasSearchSpace;
    let cell: EnasCell;
    try {
      cell = space.parse(archString);
    } catch (error) {
      throw new UnscorableArchitectureError(
        `"${archString}" is not an ${ENAS_SEARCH_SPACE_ID} architecture: ${(error as Error).message}`,
      );
    }
    const table = await loadEnas6Table(this.options.enas6TablePath);
    const row = table.byArch.get(space.format(cell));
    if (!row) {
      throw new UnscorableArchitectureError(
        `Architecture "${archString}" is not in the ENAS-6 table ${table.path} (it holds ${table.byArch.size} architectures)`,
      );
    }
    const cost = enasNetworkCost(cell, CIFAR10_SHAPE);
    return {
      validationAccuracy: Math.round(row.wsAcc * 1e6) / 1e4,
      testAccuracy: null,
      flops: cost.flops,
      params: cost.params,
      metrics: { line: row.line, split: row.split, source: "enas-6-table" },
    };
  }

  fingerprint(): Promise<string> {
    return evaluatorFingerprint(this.spec, this.options);
  }
}
