/** Shown for an accuracy the evaluator does not have (enas-6-table's test accuracy). */
export const NO_FIGURE = "n/a";

/** An accuracy (already a percentage) with two decimals; NO_FIGURE for null. */
export function percent(value: number | null): string {
  return value === null ? NO_FIGURE : value.toFixed(2);
}

/** `percent` followed by `%`, or NO_FIGURE alone: "94.37%", "n/a". */
export function percentWithUnit(value: number | null): string {
  return value === null ? NO_FIGURE : `${percent(value)}%`;
}

/** Multiply-accumulates in millions, as NAS-Bench-201 reports FLOPs. */
export function millions(value: number, digits = 2): string {
  return (value / 1e6).toFixed(digits);
}

/** A timestamp as local `YYYY-MM-DD HH:MM`, for tables. */
export function shortTime(iso: string | Date | null): string {
  if (iso === null) return "";
  const date = typeof iso === "string" ? new Date(iso) : iso;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** A duration in seconds under two minutes, else minutes and seconds. */
export function duration(ms: number): string {
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}
