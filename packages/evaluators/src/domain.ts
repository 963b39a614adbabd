import { type EvaluatorKind, type EvaluatorSpec, validateEvaluatorSpec } from "@nasvae/contracts";
import { loadEnas6Table } from "./enas-6/table.ts";
import type { EvaluatorOptions } from "./options.ts";

/**
 * The architecture strings an evaluator can score, when that is not its whole search space: the
 * enas-6-table evaluator's table rows (each distinct string once, in file order). null for
 * evaluators that score every cell of their space (nas-bench-201: the table is the space;
 * train). The coordinator restricts the search space to this domain before planning, and the
 * API checks budgets and user-given architectures against it. The table behind it is loaded
 * once per process (loadEnas6Table), so repeated calls are cheap.
 */
export async function evaluatorDomain(
  spec: EvaluatorSpec,
  options: EvaluatorOptions = {},
): Promise<readonly string[] | null> {
  return evaluatorKindDomain(validateEvaluatorSpec(spec).kind, options);
}

/** evaluatorDomain of every spec of a kind: a kind's domain depends on its kind alone. */
export async function evaluatorKindDomain(
  kind: EvaluatorKind,
  options: EvaluatorOptions = {},
): Promise<readonly string[] | null> {
  return kind === "enas-6-table" ? domainOf(options.enas6TablePath) : null;
}

// Arrays per table path: the table's map is cached, the key list is built once from it too.
const domains = new Map<string, Promise<readonly string[]>>();

function domainOf(path: string | undefined): Promise<readonly string[]> {
  const key = path ?? "";
  let domain = domains.get(key);
  if (!domain) {
    domain = loadEnas6Table(path).then((table) => [...table.byArch.keys()]);
    domains.set(key, domain);
    domain.catch(() => domains.delete(key));
  }
  return domain;
}
