import type { Command } from "../command.ts";
import { cancelCommand, pauseCommand, resumeCommand } from "./control.ts";
import { createCommand } from "./create.ts";
import { keysCreateCommand, keysListCommand, keysRevokeCommand } from "./keys.ts";
import { listCommand } from "./list.ts";
import { paretoCommand } from "./pareto.ts";
import { exportCommand, resultsCommand } from "./results.ts";
import { watchCommand } from "./watch.ts";

/** Every command, in the order `nasvae --help` lists them. */
export const COMMANDS: readonly Command[] = [
  createCommand,
  watchCommand,
  listCommand,
  resultsCommand,
  exportCommand,
  paretoCommand,
  pauseCommand,
  resumeCommand,
  cancelCommand,
  keysCreateCommand,
  keysListCommand,
  keysRevokeCommand,
];
