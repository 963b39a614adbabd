import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";

/** sha256 (hex) of a file's bytes: how a table's version is named in evaluator fingerprints. */
export function sha256Hex(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * One parse per table file per process (workers and the coordinator share it), and the file's
 * sha256 without parsing it when only the fingerprint is needed. Keys are absolute paths. A
 * failed read or parse is not cached, so a fixed file is picked up on the next call.
 */
export class TableFileCache<Table extends { readonly sha256: string }> {
  private readonly tables = new Map<string, Promise<Table>>();
  private readonly hashes = new Map<string, Promise<string>>();

  /** `index` parses a file's bytes; `path` is the resolved path, for its error messages. */
  constructor(private readonly index: (path: string, bytes: Buffer) => Table) {}

  /** The parsed table at `path`, read and indexed on first use. */
  load(path: string): Promise<Table> {
    const key = resolve(path);
    let table = this.tables.get(key);
    if (!table) {
      table = readFile(key).then((bytes) => this.index(key, bytes));
      this.tables.set(key, table);
      table.catch(() => this.tables.delete(key));
    }
    return table;
  }

  /** sha256 of the file at `path`: the loaded table's when it is parsed already, else the bytes'. */
  sha256(path: string): Promise<string> {
    const key = resolve(path);
    const loaded = this.tables.get(key);
    if (loaded) return loaded.then((table) => table.sha256);
    let hash = this.hashes.get(key);
    if (!hash) {
      hash = readFile(key).then(sha256Hex);
      this.hashes.set(key, hash);
      hash.catch(() => this.hashes.delete(key));
    }
    return hash;
  }
}
