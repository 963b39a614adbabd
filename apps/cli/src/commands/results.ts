import type { EvaluationSort } from "@nasvae/contracts";
import { choiceOption, expectPositionals, integerOption, parseCommandLine } from "../args.ts";
import { apiClient, type CliIo, type Command, println } from "../command.ts";
import {
  evaluationsCsv,
  evaluationsTable,
  formatFromPath,
  RESULT_FORMATS,
  type ResultFormat,
  renderResults,
} from "../format/results.ts";
import { emit } from "../output-file.ts";

const SORTS: readonly EvaluationSort[] = ["recorded", "accuracy", "flops"];

const OPTIONS = {
  sort: { type: "string" },
  limit: { type: "string" },
  format: { type: "string" },
  output: { type: "string", short: "o" },
} as const;

async function printEvaluations(
  command: string,
  argv: string[],
  io: CliIo,
  defaultFormat: ResultFormat,
): Promise<number> {
  const { values, positionals } = parseCommandLine(command, OPTIONS, argv);
  const [id] = expectPositionals(command, positionals, ["ID"]);
  const sort = choiceOption(command, "sort", values.sort, SORTS) ?? "recorded";
  const limit = integerOption(command, "limit", values.limit);
  const format =
    choiceOption(command, "format", values.format, RESULT_FORMATS) ??
    formatFromPath(values.output) ??
    defaultFormat;
  const items = await (await apiClient(io, values)).allEvaluations(id as string, sort, limit);
  if (items.length === 0 && format === "table" && values.output === undefined) {
    println(io.stderr, "no evaluations yet");
    return 0;
  }
  const text = renderResults(items, format, { table: evaluationsTable, csv: evaluationsCsv });
  emit(io, text, values.output, `${items.length} evaluations (${format})`);
  return 0;
}

const OPTIONS_HELP = `  --sort ORDER      recorded (default: as results arrived), accuracy (best validation
                    first) or flops (cheapest first)
  --limit N         the first N only (default: all, fetched page by page)
  -o, --output FILE write to FILE instead of standard output`;

export const resultsCommand: Command = {
  name: "results",
  summary: "a campaign's evaluations as a table, CSV or JSON",
  help: `Usage: nasvae results ID [--sort ORDER] [--limit N] [--format FORMAT] [--output FILE]

Prints the architectures a campaign evaluated with their validation and test accuracy (%),
FLOPs (millions of multiply-accumulates), parameters (millions), round and whether the result
came from the cache. CSV and JSON keep the figures unrounded, with the timestamps and worker.

Options:
${OPTIONS_HELP}
  --format FORMAT   table, csv or json (default: from the --output extension, else table)

Examples:
  nasvae results 3f6c0f6e-2a7b-4b8e-9d55-1c1a3b0b7e21 --sort accuracy --limit 10
  nasvae results 3f6c0f6e-2a7b-4b8e-9d55-1c1a3b0b7e21 --format json | jq '.[0]'`,

  run(argv, io) {
    return printEvaluations(this.name, argv, io, "table");
  },
};

export const exportCommand: Command = {
  name: "export",
  summary: "every evaluation of a campaign as CSV (or JSON)",
  help: `Usage: nasvae export ID [--output FILE] [--format csv|json] [--sort ORDER] [--limit N]

Writes every evaluation of a campaign as CSV (RFC 4180), with the columns of the SQL view
campaign_evaluations: round, arch_string, validation_accuracy, test_accuracy, flops, params,
cached, worker, proposed_at, evaluated_at, recorded_at. \`nasvae results\` with a format.

Options:
${OPTIONS_HELP}
  --format FORMAT   csv (default, unless FILE ends with .json) or json

Example:
  nasvae export 3f6c0f6e-2a7b-4b8e-9d55-1c1a3b0b7e21 --output results.csv`,

  run(argv, io) {
    return printEvaluations(this.name, argv, io, "csv");
  },
};
