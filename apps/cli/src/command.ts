import { ApiClient } from "./api-client.ts";
import { type GlobalFlags, resolveSettings, type Settings } from "./settings.ts";

/** Where a command writes: process.stdout / process.stderr, or a test's buffers. */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: Output;
  stderr: Output;
  env: Record<string, string | undefined>;
}

export interface Command {
  /** As typed after `nasvae`: "list", "keys create". */
  name: string;
  /** One line for `nasvae --help`. */
  summary: string;
  /** The whole of `nasvae <name> --help`, without the global options. */
  help: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** The settings of one run: the environment, parsed once, under the command's global flags. */
export function settingsFor(io: CliIo, flags: GlobalFlags): Promise<Settings> {
  return resolveSettings(io.env, flags);
}

export async function apiClient(io: CliIo, flags: GlobalFlags): Promise<ApiClient> {
  const settings = await settingsFor(io, flags);
  return new ApiClient(settings.apiUrl, settings.apiKey);
}

/** Writes `text` and a newline. */
export function println(output: Output, text = ""): void {
  output.write(`${text}\n`);
}
