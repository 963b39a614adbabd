import { fileURLToPath } from "node:url";
import { sha256Hex, TableFileCache } from "../table-file-cache.ts";

/** The project's copy of the NAS-Bench-201 table (200-epoch results, 15,625 rows). */
export const DEFAULT_NB201_TABLE_PATH = fileURLToPath(
  new URL("../../../../data/nasbench/nb201.csv", import.meta.url),
);

/** Numeric columns of nb201.csv (accuracies in %, flops_m in MFLOPs, params_m in millions). */
export const NB201_NUMERIC_COLUMNS = [
  "cifar10_valid_acc",
  "cifar10_test_acc",
  "cifar10valid_test_acc",
  "cifar10valid_train_acc",
  "cifar100_test_acc",
  "imagenet16_test_acc",
  "flops_m",
  "params_m",
] as const;

export type Nb201NumericColumn = (typeof NB201_NUMERIC_COLUMNS)[number];

/** One row, keyed by the CSV's own column names. */
export type Nb201TableRow = Readonly<Record<Nb201NumericColumn, number>> & {
  readonly arch_index: number;
  readonly arch_str: string;
  readonly unique_str: string;
};

export interface NasBench201Table {
  /** Absolute path it was read from. */
  readonly path: string;
  /** sha256 (hex) of the file bytes: the table's version. */
  readonly sha256: string;
  /** rows[i].arch_index === i. */
  readonly rows: readonly Nb201TableRow[];
  readonly byArch: ReadonlyMap<string, Nb201TableRow>;
}

/*
 * Plain split parser: the file has no quoted fields (checked, and rejected if they appear),
 * CRLF line endings, and a header; columns are found by name.
 */
export function parseNasBench201Csv(text: string, path: string): Nb201TableRow[] {
  const lines = text.split(/\r?\n/);
  while (lines.at(-1) === "") lines.pop();
  const [header = "", ...body] = lines;
  const columns = header.split(",");
  const column = (name: string) => {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`NAS-Bench-201 table ${path} has no column "${name}"`);
    return i;
  };
  const col = {
    arch_index: column("arch_index"),
    arch_str: column("arch_str"),
    unique_str: column("unique_str"),
    ...(Object.fromEntries(NB201_NUMERIC_COLUMNS.map((name) => [name, column(name)])) as Record<
      Nb201NumericColumn,
      number
    >),
  };

  return body.map((line, i): Nb201TableRow => {
    const where = () => `${path} line ${i + 2}`;
    if (line.includes('"')) throw new Error(`Quoted CSV fields are not supported (${where()})`);
    const fields = line.split(",");
    if (fields.length !== columns.length) {
      throw new Error(`Expected ${columns.length} fields, got ${fields.length} (${where()})`);
    }
    const number = (name: keyof typeof col) => {
      const text = fields[col[name]] ?? "";
      const value = Number(text);
      if (text.trim() === "" || !Number.isFinite(value)) {
        throw new Error(`Column ${name} is not a number: "${text}" (${where()})`);
      }
      return value;
    };
    // A literal with a fixed shape keeps rows compact and fast to read.
    return {
      arch_index: number("arch_index"),
      arch_str: fields[col.arch_str] ?? "",
      unique_str: fields[col.unique_str] ?? "",
      cifar10_valid_acc: number("cifar10_valid_acc"),
      cifar10_test_acc: number("cifar10_test_acc"),
      cifar10valid_test_acc: number("cifar10valid_test_acc"),
      cifar10valid_train_acc: number("cifar10valid_train_acc"),
      cifar100_test_acc: number("cifar100_test_acc"),
      imagenet16_test_acc: number("imagenet16_test_acc"),
      flops_m: number("flops_m"),
      params_m: number("params_m"),
    };
  });
}

function indexTable(path: string, bytes: Buffer): NasBench201Table {
  const rows = parseNasBench201Csv(bytes.toString("utf8"), path);
  const byArch = new Map<string, Nb201TableRow>();
  rows.forEach((row, i) => {
    if (row.arch_index !== i) {
      throw new Error(`NAS-Bench-201 table ${path}: row ${i} has arch_index ${row.arch_index}`);
    }
    if (byArch.has(row.arch_str)) {
      throw new Error(`NAS-Bench-201 table ${path}: duplicate arch_str ${row.arch_str}`);
    }
    byArch.set(row.arch_str, row);
  });
  return { path, sha256: sha256Hex(bytes), rows, byArch };
}

// One parse per path per process: workers and the coordinator read the file once.
const cache = new TableFileCache<NasBench201Table>(indexTable);

/** Loads (once per path, then cached) and indexes the table. */
export function loadNasBench201Table(
  path: string = DEFAULT_NB201_TABLE_PATH,
): Promise<NasBench201Table> {
  return cache.load(path);
}

/** sha256 of the table file, without parsing it unless it is already loaded. Cached per path. */
export function nasBench201TableSha256(path: string = DEFAULT_NB201_TABLE_PATH): Promise<string> {
  return cache.sha256(path);
}
