import { dirname, join, resolve } from "node:path";
import { sha256Hex, TableFileCache } from "../table-file-cache.ts";
import { DEFAULT_NB201_TABLE_PATH } from "./table.ts";

/**
 * CIFAR-100 and ImageNet16-120 `x-valid` / `x-test` accuracies (200 epochs, mean over seeds, from
 * the NAS-Bench-201 v1_1 file; provenance in data/nasbench/README.md). nb201.csv has only test
 * accuracies for those datasets; this table gives them a search signal, and a test figure from
 * the same runs.
 */
export const NB201_X_VALID_FILE_NAME = "nb201_x_valid.csv";

/** The x-valid table that goes with an nb201.csv: the file of that name in the same folder. */
export function nb201XValidTablePath(nb201TablePath: string = DEFAULT_NB201_TABLE_PATH): string {
  return join(dirname(resolve(nb201TablePath)), NB201_X_VALID_FILE_NAME);
}

export const NB201_X_VALID_COLUMNS = [
  "cifar100_valid_acc",
  "cifar100_test_acc",
  "imagenet16_valid_acc",
  "imagenet16_test_acc",
] as const;

export type Nb201XValidColumn = (typeof NB201_X_VALID_COLUMNS)[number];

export type Nb201XValidRow = Readonly<Record<Nb201XValidColumn, number>> & {
  readonly arch_str: string;
};

export interface Nb201XValidTable {
  readonly path: string;
  /** sha256 (hex) of the file bytes: the table's version. */
  readonly sha256: string;
  /** In file order (= NAS-Bench-201 arch_index order). */
  readonly rows: readonly Nb201XValidRow[];
  readonly byArch: ReadonlyMap<string, Nb201XValidRow>;
}

/** Plain split parser (no quoted fields); columns found by name, every value must be a number. */
export function parseNb201XValidCsv(text: string, path: string): Nb201XValidRow[] {
  const lines = text.split(/\r?\n/);
  while (lines.at(-1) === "") lines.pop();
  const [header = "", ...body] = lines;
  const columns = header.split(",");
  const index = (name: string) => {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`NAS-Bench-201 x-valid table ${path} has no column "${name}"`);
    return i;
  };
  const archColumn = index("arch_str");
  const numeric = NB201_X_VALID_COLUMNS.map((name) => [name, index(name)] as const);
  return body.map((line, i) => {
    const where = `${path} line ${i + 2}`;
    if (line.includes('"')) throw new Error(`Quoted CSV fields are not supported (${where})`);
    const fields = line.split(",");
    if (fields.length !== columns.length) {
      throw new Error(`Expected ${columns.length} fields, got ${fields.length} (${where})`);
    }
    const row: Record<string, number | string> = { arch_str: fields[archColumn] ?? "" };
    for (const [name, column] of numeric) {
      const text = fields[column] ?? "";
      const value = Number(text);
      if (text.trim() === "" || !Number.isFinite(value)) {
        throw new Error(`Column ${name} is not a number: "${text}" (${where})`);
      }
      row[name] = value;
    }
    return row as Nb201XValidRow;
  });
}

function indexTable(path: string, bytes: Buffer): Nb201XValidTable {
  const rows = parseNb201XValidCsv(bytes.toString("utf8"), path);
  const byArch = new Map<string, Nb201XValidRow>();
  for (const row of rows) {
    if (byArch.has(row.arch_str)) {
      throw new Error(`NAS-Bench-201 x-valid table ${path}: duplicate arch_str ${row.arch_str}`);
    }
    byArch.set(row.arch_str, row);
  }
  return { path, sha256: sha256Hex(bytes), rows, byArch };
}

// One parse per path per process: workers and the coordinator read the file once.
const cache = new TableFileCache<Nb201XValidTable>(indexTable);

/** Loads (once per path, then cached; a failed load is retried next time) and indexes it. */
export function loadNb201XValidTable(
  path: string = nb201XValidTablePath(),
): Promise<Nb201XValidTable> {
  return cache.load(path);
}

/** sha256 of the x-valid table file, without parsing it unless it is already loaded. Cached. */
export function nb201XValidTableSha256(path: string = nb201XValidTablePath()): Promise<string> {
  return cache.sha256(path);
}
