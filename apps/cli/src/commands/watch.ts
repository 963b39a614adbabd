import { setTimeout as sleep } from "node:timers/promises";
import type { CampaignResponse as Campaign } from "@nasvae/contracts";
import type { ApiClient } from "../api-client.ts";
import { expectPositionals, numberOption, parseCommandLine } from "../args.ts";
import { apiClient, type CliIo, type Command, println } from "../command.ts";
import { UsageError } from "../errors.ts";
import { duration, millions, percentWithUnit } from "../format/numbers.ts";
import { progressLine, progressSummary } from "../format/progress.ts";
import { truncate } from "../format/table.ts";

const OPTIONS = { interval: { type: "string" } } as const;

// `paused` is not an end: watch waits through a pause until the campaign is resumed and ends.
const ENDED = new Set(["completed", "failed", "cancelled"]);

export const watchCommand: Command = {
  name: "watch",
  summary: "follow a campaign until it ends (exit 0 completed, 1 failed or cancelled)",
  help: `Usage: nasvae watch ID [--interval SECONDS]

Follows a campaign: evaluations done of the budget, rounds, the best architecture so far (by
validation accuracy) and the status. On a terminal one progress bar is redrawn in place;
otherwise (a pipe, a log file, CI) a line is printed each time something changes. Ends with the
best architecture when the campaign completes (exit 0), or its error when it fails or is
cancelled (exit 1). A paused campaign is watched on until it is resumed and ends.

Options:
  --interval SECONDS   between two looks at the campaign (default: 1)

Example:
  nasvae watch 3f6c0f6e-2a7b-4b8e-9d55-1c1a3b0b7e21`,

  async run(argv, io) {
    const { values, positionals } = parseCommandLine(this.name, OPTIONS, argv);
    const [id] = expectPositionals(this.name, positionals, ["ID"]);
    const intervalMs = intervalOption(this.name, values.interval);
    return watchCampaign(await apiClient(io, values), id as string, io, { intervalMs });
  },
};

/** `--interval SECONDS` (default 1) in milliseconds. */
export function intervalOption(command: string, value: string | undefined): number {
  const seconds = numberOption(command, "interval", value) ?? 1;
  if (seconds <= 0) throw new UsageError("--interval must be above 0 seconds", command);
  return seconds * 1000;
}

/** The line redrawn on a terminal, fitted to its width. */
function terminalLine(campaign: Campaign, columns: number | undefined): string {
  const end = campaign.finishedAt ? Date.parse(campaign.finishedAt) : Date.now();
  const elapsed = end - Date.parse(campaign.startedAt ?? campaign.createdAt);
  const room = (columns ?? 100) - 1;
  const rest = progressLine(campaign, 0, elapsed).length - 2;
  const barWidth = Math.max(10, Math.min(30, room - rest - 3));
  return truncate(progressLine(campaign, barWidth, elapsed), room);
}

function describe(campaign: Campaign): string {
  return `campaign "${campaign.name}" (${campaign.id}): ${campaign.strategy.kind} search of ${campaign.searchSpace} on ${campaign.evaluator.dataset}, ${campaign.budget.evaluations} evaluations`;
}

function printOutcome(campaign: Campaign, io: CliIo): number {
  const { progress, best } = campaign;
  const end = campaign.finishedAt ? Date.parse(campaign.finishedAt) : Date.now();
  const start = Date.parse(campaign.startedAt ?? campaign.createdAt);
  const took = `${campaign.status} in ${duration(end - start)}`;
  const counts = `${progress.evaluations} evaluations in ${progress.rounds} rounds (${progress.cached} answered from the cache, ${progress.failed} failed)`;
  if (campaign.status !== "completed") {
    println(
      io.stderr,
      `error: campaign ${campaign.id} ${took}: ${campaign.error ?? (campaign.status === "cancelled" ? "cancelled on request (nasvae cancel)" : "no reason given")}`,
    );
    println(io.stderr, `  ${counts}`);
    return 1;
  }
  println(io.stdout, `campaign ${took}: ${counts}`);
  if (best) {
    println(io.stdout, "best architecture (by validation accuracy, the search signal):");
    println(io.stdout, `  ${best.architecture}`);
    println(
      io.stdout,
      `  valid ${percentWithUnit(best.validationAccuracy)}  test ${percentWithUnit(best.testAccuracy)}  ${millions(best.flops)} MFLOPs  ${millions(best.params, 3)} M params`,
    );
  }
  return 0;
}

/** Polls the campaign until it ends; resolves to the exit code. */
export async function watchCampaign(
  api: ApiClient,
  id: string,
  io: CliIo,
  options: { intervalMs: number },
): Promise<number> {
  const tty = io.stdout.isTTY === true;
  let campaign = await api.getCampaign(id);
  println(io.stdout, describe(campaign));
  let shown = "";
  for (;;) {
    if (tty) {
      io.stdout.write(`\r${terminalLine(campaign, io.stdout.columns)}\x1b[K`);
    } else {
      const line = progressSummary(campaign);
      if (line !== shown) println(io.stdout, line);
      shown = line;
    }
    if (ENDED.has(campaign.status)) {
      if (tty) io.stdout.write("\n");
      return printOutcome(campaign, io);
    }
    await sleep(options.intervalMs);
    campaign = await api.getCampaign(id);
  }
}
