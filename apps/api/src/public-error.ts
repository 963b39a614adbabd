import { fileURLToPath } from "node:url";

/** The repository root (apps/api/src/ is three levels below it). */
const PROJECT_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * An absolute POSIX path (or a file:// URL) not preceded by a word character, `:` or `/` (so
 * `http://host/a/b` is left alone): its directory is dropped, its last segment kept.
 */
const ABSOLUTE_PATH =
  /(?<![\w:/.~-])(?:file:\/\/)?\/(?:[^\s/:'"`()[\]{}<>,;]+\/)+([^\s/:'"`()[\]{}<>,;]*)/g;

/**
 * An error message as the API shows it to anyone who may read: paths inside the project become
 * project-relative (`packages/evaluators/src/table.ts`), any other absolute path its base name
 * (`data_batch_1.bin`), so answers do not reveal the host's directory layout. The full message
 * stays in Postgres and in the logs.
 */
export function publicError(message: string | null): string | null {
  if (message === null) return null;
  return message
    .replaceAll(`file://${PROJECT_ROOT}`, "")
    .replaceAll(PROJECT_ROOT, "")
    .replace(ABSOLUTE_PATH, (_match, base: string) => base);
}
