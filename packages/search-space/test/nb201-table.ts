import { readFileSync } from "node:fs";

/** Rows of the project's NB201 table (data/nasbench/nb201.csv), just the columns tests need. */
export interface TableRow {
  readonly index: number;
  readonly arch: string;
  readonly uniqueStr: string;
  readonly flopsM: number;
  readonly paramsM: number;
}

const CSV_URL = new URL("../../../data/nasbench/nb201.csv", import.meta.url);

export function readNb201Rows(): TableRow[] {
  const [header, ...lines] = readFileSync(CSV_URL, "utf8").split(/\r?\n/).filter(Boolean);
  const columns = (header ?? "").split(",");
  const at = (name: string) => {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`nb201.csv has no column ${name}`);
    return i;
  };
  const [iIndex, iArch, iUnique, iFlops, iParams] = [
    at("arch_index"),
    at("arch_str"),
    at("unique_str"),
    at("flops_m"),
    at("params_m"),
  ];
  return lines.map((line) => {
    const f = line.split(",");
    return {
      index: Number(f[iIndex]),
      arch: f[iArch] ?? "",
      uniqueStr: f[iUnique] ?? "",
      flopsM: Number(f[iFlops]),
      paramsM: Number(f[iParams]),
    };
  });
}
