export type CsvValue = string | number | boolean | null | undefined;

/** One field, quoted as RFC 4180 says: when it holds a comma, a double quote, CR or LF. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header line and the records, CRLF-terminated (RFC 4180). */
export function toCsv(header: string[], records: CsvValue[][]): string {
  return [header, ...records].map((record) => `${record.map(csvField).join(",")}\r\n`).join("");
}
