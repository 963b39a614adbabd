export interface Column {
  header: string;
  /** Numbers read best right-aligned. Default: left. */
  align?: "left" | "right";
}

/** Width as a terminal shows it, counting code points (not UTF-16 units). */
function width(text: string): number {
  return [...text].length;
}

/**
 * Rows under a header, each column as wide as its widest cell, two spaces apart. The last
 * column is not padded when left-aligned, so lines carry no trailing spaces.
 */
export function formatTable(columns: Column[], rows: string[][]): string {
  const widths = columns.map((column, i) =>
    Math.max(width(column.header), ...rows.map((row) => width(row[i] ?? ""))),
  );
  const line = (cells: string[]) =>
    columns
      .map((column, i) => {
        const cell = cells[i] ?? "";
        const pad = " ".repeat((widths[i] ?? 0) - width(cell));
        if (column.align === "right") return pad + cell;
        return i === columns.length - 1 ? cell : cell + pad;
      })
      .join("  ")
      .trimEnd();
  return [line(columns.map((column) => column.header)), ...rows.map(line)].join("\n");
}

/** `text` cut to `max` characters, with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}
