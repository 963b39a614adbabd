import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./errors.ts";

export type OptionSpecs = NonNullable<ParseArgsConfig["options"]>;

/** Options every command takes (they may come before or after the command name). */
export const GLOBAL_OPTIONS = {
  url: { type: "string" },
  "api-key": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies OptionSpecs;

/** Global options that take a value, so the command name is not mistaken for one. */
const GLOBAL_VALUE_OPTIONS = new Set(["--url", "--api-key"]);

export const GLOBAL_HELP = `Global options:
  --url URL        the API (default: NASVAE_URL, else http://127.0.0.1:3000)
  --api-key KEY    sent as \`Authorization: Bearer KEY\` (default: NASVAE_API_KEY)
  -h, --help       this help`;

/**
 * Splits `argv` around the first word that is neither an option nor a global option's value:
 * `--url U list --limit 5` gives "list" and `--url U --limit 5`.
 */
export function splitCommand(argv: string[]): { command?: string; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") return { rest: argv };
    if (GLOBAL_VALUE_OPTIONS.has(arg)) {
      i++;
      continue;
    }
    if (!arg.startsWith("-"))
      return { command: arg, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { rest: argv };
}

/** parseArgs with the global options added and its errors rewritten as short usage errors. */
export function parseCommandLine<Options extends OptionSpecs>(
  command: string,
  options: Options,
  argv: string[],
) {
  try {
    return parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    // Node quotes the option as '--name', '--name <value>' or '-n, --name <value>'.
    const quoted = /'(-[^']*)'/.exec(message)?.[1] ?? "";
    const option = quoted
      .replace(/ <value>$/, "")
      .split(", ")
      .at(-1);
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      throw new UsageError(`unknown option ${option || message}`, command);
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      // Either a missing value or a value given to a boolean flag.
      throw new UsageError(
        message.includes("does not take an argument")
          ? `${option || "this option"} takes no value`
          : `${option || "this option"} needs a value`,
        command,
      );
    }
    throw new UsageError(message, command);
  }
}

/** The positionals a command takes, exactly: `names` are shown in the error when one is missing. */
export function expectPositionals(
  command: string,
  positionals: string[],
  names: string[],
): string[] {
  if (positionals.length < names.length) {
    throw new UsageError(`missing ${names.slice(positionals.length).join(" ")}`, command);
  }
  if (positionals.length > names.length) {
    throw new UsageError(`unexpected argument "${positionals[names.length]}"`, command);
  }
  return positionals;
}

/** A whole number flag, at least `minimum`; undefined when absent. */
export function integerOption(
  command: string,
  flag: string,
  value: string | undefined,
  minimum = 1,
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === "" || !Number.isInteger(number) || number < minimum) {
    throw new UsageError(`--${flag} must be a whole number >= ${minimum}, got "${value}"`, command);
  }
  return number;
}

/** A number flag; undefined when absent. Ranges are left to the API, which names the limit. */
export function numberOption(command: string, flag: string, value: string | undefined) {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number)) {
    throw new UsageError(`--${flag} must be a number, got "${value}"`, command);
  }
  return number;
}

/** One of `choices`; undefined when absent. */
export function choiceOption<Choice extends string>(
  command: string,
  flag: string,
  value: string | undefined,
  choices: readonly Choice[],
): Choice | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} must be one of ${choices.join(", ")}, got "${value}"`, command);
  }
  return value as Choice;
}
