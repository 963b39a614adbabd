import { writeFileSync } from "node:fs";
import { type CliIo, println } from "./command.ts";
import { CliError } from "./errors.ts";

/** Writes `text` to `path` (saying so on stderr), or to stdout when there is no path. */
export function emit(io: CliIo, text: string, path: string | undefined, what: string): void {
  if (path === undefined || path === "-") {
    io.stdout.write(text);
    return;
  }
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new CliError(`could not write ${path}: ${(error as Error).message}`);
  }
  println(io.stderr, `wrote ${what} to ${path}`);
}
