import { fileURLToPath } from "node:url";
import { sha256Hex, TableFileCache } from "../table-file-cache.ts";

/** The project's copy of D-VAE's ENAS-6 table (20,020 lines, data/enas6/README.md). */
export const DEFAULT_ENAS6_TABLE_PATH = fileURLToPath(
  new URL("../../../../data/enas6/enas6.csv", import.meta.url),
);

/** D-VAE's split of the line (data/enas6/README.md): burn-in lines are in no split of theirs. */
export const ENAS6_SPLITS = ["burn_in", "train", "test"] as const;
export type Enas6Split = (typeof ENAS6_SPLITS)[number];

/** One line of enas6.csv. */
export interface Enas6TableRow {
  /** 1-based line number in D-VAE's final_structures6.txt. */
  readonly line: number;
  /** The nested list as published, without spaces: `[[op],[op,s0],…]`. */
  readonly arch: string;
  /** Weight-sharing CIFAR-10 validation accuracy, a fraction (0.7020–0.7502). */
  readonly wsAcc: number;
  readonly split: Enas6Split;
}

export interface Enas6Table {
  /** Absolute path it was read from. */
  readonly path: string;
  /** sha256 (hex) of the file bytes: the table's version. */
  readonly sha256: string;
  /** Every line, in file order (duplicates included). */
  readonly rows: readonly Enas6TableRow[];
  /**
   * One row per distinct arch string: its first line. The published file has 5 architectures
   * twice, each time with the same ws_acc (checked at load), so which line is kept changes no
   * accuracy; the first is kept so that `line` points at the earliest occurrence.
   */
  readonly byArch: ReadonlyMap<string, Enas6TableRow>;
}

const COLUMNS = ["line", "arch", "ws_acc", "dvae_split"] as const;

/** Splits one CSV record: fields may be double-quoted (the arch field is: it holds commas). */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i] as string;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      fields.push(field);
      field = "";
    } else field += char;
  }
  if (quoted) throw new Error("unterminated quoted field");
  fields.push(field);
  return fields;
}

/** Parses enas6.csv (header `line,arch,ws_acc,dvae_split`, columns found by name, LF or CRLF). */
export function parseEnas6Csv(text: string, path: string): Enas6TableRow[] {
  const lines = text.split(/\r?\n/);
  while (lines.at(-1) === "") lines.pop();
  const [header = "", ...body] = lines;
  const columns = splitCsvLine(header);
  const index = Object.fromEntries(
    COLUMNS.map((name) => {
      const i = columns.indexOf(name);
      if (i < 0) throw new Error(`ENAS-6 table ${path} has no column "${name}"`);
      return [name, i];
    }),
  ) as Record<(typeof COLUMNS)[number], number>;

  return body.map((text, i): Enas6TableRow => {
    const where = `${path} line ${i + 2}`;
    let fields: string[];
    try {
      fields = splitCsvLine(text);
    } catch (error) {
      throw new Error(`${(error as Error).message} (${where})`);
    }
    if (fields.length !== columns.length) {
      throw new Error(`Expected ${columns.length} fields, got ${fields.length} (${where})`);
    }
    const field = (name: (typeof COLUMNS)[number]) => fields[index[name]] ?? "";
    const line = Number(field("line"));
    if (!Number.isInteger(line) || line < 1) {
      throw new Error(`Column line is not a positive integer: "${field("line")}" (${where})`);
    }
    const wsAcc = Number(field("ws_acc"));
    if (field("ws_acc").trim() === "" || !(wsAcc >= 0 && wsAcc <= 1)) {
      throw new Error(`Column ws_acc is not a fraction in [0, 1]: "${field("ws_acc")}" (${where})`);
    }
    const split = field("dvae_split");
    if (!(ENAS6_SPLITS as readonly string[]).includes(split)) {
      throw new Error(
        `Column dvae_split is "${split}" (expected one of ${ENAS6_SPLITS.join(", ")}) (${where})`,
      );
    }
    const arch = field("arch");
    if (arch === "" || /\s/.test(arch)) {
      throw new Error(`Column arch is empty or has whitespace: "${arch}" (${where})`);
    }
    return { line, arch, wsAcc, split: split as Enas6Split };
  });
}

function indexTable(path: string, bytes: Buffer): Enas6Table {
  const rows = parseEnas6Csv(bytes.toString("utf8"), path);
  const byArch = new Map<string, Enas6TableRow>();
  for (const row of rows) {
    const first = byArch.get(row.arch);
    if (!first) {
      byArch.set(row.arch, row);
    } else if (first.wsAcc !== row.wsAcc) {
      // Keeping either would be a silent choice between two measurements: refuse the file.
      throw new Error(
        `ENAS-6 table ${path}: ${row.arch} has ws_acc ${first.wsAcc} on line ${first.line} and ${row.wsAcc} on line ${row.line}`,
      );
    }
  }
  return { path, sha256: sha256Hex(bytes), rows, byArch };
}

// One parse per path per process: workers and the coordinator read the file once.
const cache = new TableFileCache<Enas6Table>(indexTable);

/** Loads (once per path, then cached) and indexes the table. */
export function loadEnas6Table(path: string = DEFAULT_ENAS6_TABLE_PATH): Promise<Enas6Table> {
  return cache.load(path);
}

/** sha256 of the table file, without parsing it unless it is already loaded. Cached per path. */
export function enas6TableSha256(path: string = DEFAULT_ENAS6_TABLE_PATH): Promise<string> {
  return cache.sha256(path);
}
