// `nasvae`: finds the command, runs it, and turns every error into a message and an exit code.
import { readFileSync } from "node:fs";
import { GLOBAL_HELP, splitCommand } from "./args.ts";
import { type CliIo, type Command, println } from "./command.ts";
import { COMMANDS } from "./commands/index.ts";
import { CliError, EXIT_FAILURE, EXIT_USAGE, UsageError } from "./errors.ts";

function version(): string {
  const manifest = new URL("../../../package.json", import.meta.url);
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const list = (commands: readonly Command[]) =>
    commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join("\n");
  const keys = COMMANDS.filter((command) => command.name.startsWith("keys "));
  return `nasvae: run and inspect neural architecture search campaigns

Usage: nasvae <command> [options]

Campaigns (through the REST API at NASVAE_URL, default http://127.0.0.1:3000):
${list(COMMANDS.filter((command) => !keys.includes(command)))}

API keys (in PostgreSQL at DATABASE_URL):
${list(keys)}

${GLOBAL_HELP}
  --version        the version

Run \`nasvae <command> --help\` for a command's options and examples.
Exit status: 0 done, 1 refused or failed (the message says why), 2 bad command line.`;
}

/** `nasvae keys --help`: the subcommands of a group. */
function groupHelp(group: string): string {
  const members = COMMANDS.filter((command) => command.name.startsWith(`${group} `));
  const width = Math.max(...members.map((command) => command.name.length));
  const words = members.map((command) => command.name.slice(group.length + 1));
  return `Usage: nasvae ${group} <${words.join("|")}>\n\n${members
    .map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`)
    .join("\n")}`;
}

function commandHelp(command: Command): string {
  return `${command.help}\n\n${GLOBAL_HELP}`;
}

/** The distance between two words, for "did you mean". */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        substitution,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

function unknownCommand(name: string): UsageError {
  const names = COMMANDS.map((command) => command.name);
  const closest = names
    .map((candidate) => ({ candidate, distance: editDistance(name, candidate) }))
    .sort((x, y) => x.distance - y.distance)[0];
  const hint = closest && closest.distance <= 2 ? ` (did you mean "${closest.candidate}"?)` : "";
  return new UsageError(`unknown command "${name}"${hint}`);
}

/** True when -h/--help comes before any `--`. */
function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === "-h" || arg === "--help");
}

/** Finds the command named in `argv` (two words for `keys ...`) and the arguments left for it. */
function findCommand(argv: string[]): { command?: Command; rest: string[]; group?: string } {
  const first = splitCommand(argv);
  if (first.command === undefined) return { rest: first.rest };
  if (first.command === "help") {
    // `nasvae help [command...]` is `nasvae [command...] --help`.
    return findCommand([...first.rest.filter((arg) => arg !== "help"), "--help"]);
  }
  const single = COMMANDS.find((command) => command.name === first.command);
  if (single) return { command: single, rest: first.rest };
  const group = COMMANDS.filter((command) => command.name.startsWith(`${first.command} `));
  if (group.length === 0) throw unknownCommand(first.command);
  const second = splitCommand(first.rest);
  const name = `${first.command} ${second.command ?? ""}`.trim();
  const command = group.find((candidate) => candidate.name === name);
  if (command) return { command, rest: second.rest };
  if (second.command === undefined) return { rest: second.rest, group: first.command };
  throw unknownCommand(name);
}

/** Runs the command line `argv` (without `node` and the script); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
      println(io.stdout, version());
      return 0;
    }
    const { command, rest, group } = findCommand(argv);
    if (group !== undefined) {
      const text = groupHelp(group);
      if (wantsHelp(rest)) {
        println(io.stdout, text);
        return 0;
      }
      println(io.stderr, `error: "nasvae ${group}" needs a subcommand\n\n${text}`);
      return EXIT_USAGE;
    }
    if (command === undefined) {
      if (wantsHelp(rest) || argv.length === 0) {
        println(argv.length === 0 ? io.stderr : io.stdout, mainHelp());
        return argv.length === 0 ? EXIT_USAGE : 0;
      }
      throw new UsageError(`no command given (options alone: ${rest.join(" ")})`);
    }
    if (wantsHelp(rest)) {
      println(io.stdout, commandHelp(command));
      return 0;
    }
    return await command.run(rest, io);
  } catch (error) {
    return report(error, io);
  }
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof UsageError) {
    println(io.stderr, `error: ${error.message}`);
    const help = error.command ? `nasvae ${error.command} --help` : "nasvae --help";
    println(io.stderr, `(\`${help}\` shows the usage)`);
    return error.exitCode;
  }
  if (error instanceof CliError) {
    println(io.stderr, `error: ${error.message}`);
    for (const line of error.details) println(io.stderr, `  ${line}`);
    return error.exitCode;
  }
  // @nasvae/config's ConfigError (matched by name: that module is loaded lazily): a bad variable.
  if (error instanceof Error && error.name === "ConfigError") {
    println(io.stderr, `error: ${error.message}`);
    return EXIT_FAILURE;
  }
  // A bug, not a user error: keep the stack for the report.
  println(
    io.stderr,
    `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return EXIT_FAILURE;
}
