// A campaign's evaluations and Pareto front as a table, CSV or JSON.
import type { Evaluation, ParetoPoint } from "../api-types.ts";
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

export function evaluationsTable(items: Evaluation[]): string {
  return formatTable(
    [
      { header: "#", align: "right" },
      { header: "ROUND", align: "right" },
      ...FIGURE_COLUMNS,
      { header: "CACHED" },
      { header: "ARCHITECTURE" },
    ],
    items.map((item, i) => [
      String(i + 1),
      String(item.round),
      ...figures(item),
      item.cached ? "yes" : "no",
      item.architecture,
    ]),
  );
}

/** CSV with the column names of the SQL view `campaign_evaluations`, figures unrounded. */
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
