import { Enas6TabularEvaluator, loadEnas6Table } from "@nasvae/evaluators";
import { enasSearchSpace, restrictToDomain } from "@nasvae/search-space";
import type { Score } from "./run-campaign.ts";
import type { ResolvedTarget } from "./search-target.ts";

/**
 * The ENAS-6 search of the bench: enasSearchSpace restricted (restrictToDomain) to the table's
 * distinct cells, each scored by the workers' enas-6-table evaluator (ws_acc × 100).
 */
export async function enas6Target(): Promise<ResolvedTarget> {
  const base = enasSearchSpace;
  const table = await loadEnas6Table();
  const space = restrictToDomain(
    base,
    [...table.byArch.keys()].map((archString) => base.parse(archString)),
  );
  const evaluator = new Enas6TabularEvaluator();
  return {
    space,
    score: async (archString: string): Promise<Score> => {
      const result = await evaluator.evaluate(archString);
      return {
        validationAccuracy: result.validationAccuracy,
        testAccuracy: result.testAccuracy,
        flops: result.flops,
        params: result.params,
      };
    },
  };
}

/** What ENAS-6 results are measured against: the table's best weight-sharing accuracy. */
export interface Enas6Reference {
  tablePath: string;
  tableSha256: string;
  architectures: number;
  optimum: { archString: string; validationAccuracy: number; tiedOnValidation: number };
}

export async function enas6Reference(): Promise<Enas6Reference> {
  const table = await loadEnas6Table();
  const rows = [...table.byArch.values()];
  const best = Math.max(...rows.map((row) => row.wsAcc));
  const first = rows.find((row) => row.wsAcc === best);
  if (!first) throw new Error(`ENAS-6 table ${table.path} is empty`);
  return {
    tablePath: table.path,
    tableSha256: table.sha256,
    architectures: rows.length,
    optimum: {
      archString: first.arch,
      validationAccuracy: Math.round(best * 1e6) / 1e4,
      tiedOnValidation: rows.filter((row) => row.wsAcc === best).length,
    },
  };
}
