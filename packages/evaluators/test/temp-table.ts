import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";

/** Writes a table variant to a temporary nb201.csv, removed when the test ends. */
export function writeTempTable(t: TestContext, contents: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), "nb201-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "nb201.csv");
  writeFileSync(path, contents);
  return path;
}
