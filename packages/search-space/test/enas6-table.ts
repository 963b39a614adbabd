import { readFileSync } from "node:fs";

/** One row of the project's ENAS-6 table (data/enas6/enas6.csv). */
export interface Enas6Row {
  /** 1-based line of D-VAE's final_structures6.txt. */
  readonly line: number;
  readonly arch: string;
  readonly wsAcc: number;
  readonly dvaeSplit: string;
}

const CSV_URL = new URL("../../../data/enas6/enas6.csv", import.meta.url);
// line,"arch",ws_acc,dvae_split: the arch column is quoted since it holds commas.
const ROW = /^(\d+),"([^"]*)",([^,]*),([^,]*)$/;

export function readEnas6Rows(): Enas6Row[] {
  const [header, ...lines] = readFileSync(CSV_URL, "utf8").split(/\r?\n/).filter(Boolean);
  if (header !== "line,arch,ws_acc,dvae_split") {
    throw new Error(`enas6.csv has an unexpected header: ${header}`);
  }
  return lines.map((text) => {
    const match = ROW.exec(text);
    if (!match) throw new Error(`enas6.csv row does not match line,"arch",ws_acc,split: ${text}`);
    return {
      line: Number(match[1]),
      arch: match[2] ?? "",
      wsAcc: Number(match[3]),
      dvaeSplit: match[4] ?? "",
    };
  });
}
