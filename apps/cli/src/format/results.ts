// A campaign's evaluations and Pareto front as a table, CSV or JSON.
import type { EvaluationItem as Evaluation, ParetoFront } from "@nasvae/contracts";

type ParetoPoint = ParetoFront["items"][number];

import { toCsv } from "./csv.ts";
import { millions, percent } from "./numbers.ts";
import { type Column, formatTable } from "./table.ts";

export const RESULT_FORMATS = ["table", "csv", "json"] as const;
export type ResultFormat = (typeof RESULT_FORMATS)[number];

/** The format an `--output` file's extension implies, if any. */
export function formatFromPath(path: string | undefined): ResultFormat | undefined {
  if (path?.toLowerCase().endsWith(".csv")) return "csv";
  if (path?.toLowerCase().endsWith(".json")) return "json";
  return undefined;
}

const FIGURE_COLUMNS: Column[] = [
  { header: "VALID %", align: "right" },
  { header: "TEST %", align: "right" },
  { header: "MFLOPS", align: "right" },
  { header: "PARAMS (M)", align: "right" },
];

function figures(item: ParetoPoint): string[] {
  return [
    percent(item.validationAccuracy),
    percent(item.testAccuracy),
    millions(item.flops),
    millions(item.params, 3),
  ];
}

/** Epochs trained, and whether the early-stopping rule ended the run: "3", "2 stopped". */
function epochsCell(item: Evaluation): string {
  if (item.epochs === null) return "-";
  return item.stoppedEarly ? `${item.epochs} stopped` : String(item.epochs);
}

/** The EPOCHS column appears only for evaluators that train (tabular results have none). */
export function evaluationsTable(items: Evaluation[]): string {
  const trained = items.some((item) => item.epochs !== null);
  return formatTable(
    [
      { header: "#", align: "right" },
      { header: "ROUND", align: "right" },
      ...FIGURE_COLUMNS,
      ...(trained ? [{ header: "EPOCHS" }] : []),
      { header: "CACHED" },
      { header: "ARCHITECTURE" },
    ],
    items.map((item, i) => [
      String(i + 1),
      String(item.round),
      ...figures(item),
      ...(trained ? [epochsCell(item)] : []),
      item.cached ? "yes" : "no",
      item.architecture,
    ]),
  );
}

/**
 * CSV with the column names of the SQL view `campaign_evaluations`, figures unrounded, then
 * `stopped_early` and `epochs` (empty for evaluators that do not train).
 */
export function evaluationsCsv(items: Evaluation[]): string {
  return toCsv(
    [
      "round",
      "arch_string",
      "validation_accuracy",
      "test_accuracy",
      "flops",
      "params",
      "cached",
      "worker",
      "proposed_at",
      "evaluated_at",
      "recorded_at",
      "stopped_early",
      "epochs",
    ],
    items.map((item) => [
      item.round,
      item.architecture,
      item.validationAccuracy,
      item.testAccuracy,
      item.flops,
      item.params,
      item.cached,
      item.worker,
      item.proposedAt,
      item.evaluatedAt,
      item.recordedAt,
      item.stoppedEarly,
      item.epochs,
    ]),
  );
}

export function paretoTable(items: ParetoPoint[]): string {
  return formatTable(
    [{ header: "ROUND", align: "right" }, ...FIGURE_COLUMNS, { header: "ARCHITECTURE" }],
    items.map((item) => [String(item.round), ...figures(item), item.architecture]),
  );
}

export function paretoCsv(items: ParetoPoint[]): string {
  return toCsv(
    ["round", "arch_string", "validation_accuracy", "test_accuracy", "flops", "params"],
    items.map((item) => [
      item.round,
      item.architecture,
      item.validationAccuracy,
      item.testAccuracy,
      item.flops,
      item.params,
    ]),
  );
}

/** `items` in `format`, ending with a newline. */
export function renderResults<Item extends ParetoPoint>(
  items: Item[],
  format: ResultFormat,
  as: { table(items: Item[]): string; csv(items: Item[]): string },
): string {
  if (format === "json") return `${JSON.stringify(items, null, 2)}\n`;
  if (format === "csv") return as.csv(items);
  return `${as.table(items)}\n`;
}
