export { runCli } from "./cli.ts";
export type { CliIo, Command, Output } from "./command.ts";
