import { choiceOption, expectPositionals, parseCommandLine } from "../args.ts";
import { apiClient, type Command, println } from "../command.ts";
import {
  formatFromPath,
  paretoCsv,
  paretoTable,
  RESULT_FORMATS,
  renderResults,
} from "../format/results.ts";
import { emit } from "../output-file.ts";

const OPTIONS = {
  format: { type: "string" },
  output: { type: "string", short: "o" },
} as const;

export const paretoCommand: Command = {
  name: "pareto",
  summary: "a campaign's accuracy-vs-FLOPs Pareto front",
  help: `Usage: nasvae pareto ID [--format table|csv|json] [--output FILE]

Prints the architectures evaluated so far that no other one beats on validation accuracy
without costing more FLOPs, cheapest first.

Options:
  --format FORMAT   table, csv or json (default: from the --output extension, else table)
  -o, --output FILE write to FILE instead of standard output

Example:
  nasvae pareto 3f6c0f6e-2a7b-4b8e-9d55-1c1a3b0b7e21`,

  async run(argv, io) {
    const { values, positionals } = parseCommandLine(this.name, OPTIONS, argv);
    const [id] = expectPositionals(this.name, positionals, ["ID"]);
    const format =
      choiceOption(this.name, "format", values.format, RESULT_FORMATS) ??
      formatFromPath(values.output) ??
      "table";
    const items = await (await apiClient(io, values)).paretoFront(id as string);
    if (items.length === 0 && format === "table" && values.output === undefined) {
      println(io.stderr, "no evaluations yet, so no front");
      return 0;
    }
    const text = renderResults(items, format, { table: paretoTable, csv: paretoCsv });
    emit(io, text, values.output, `${items.length} architectures of the front (${format})`);
    return 0;
  },
};
