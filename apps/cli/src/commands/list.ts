// The statuses alone (not the package's index): the CLI starts without loading TypeBox.

import type { CampaignResponse as Campaign } from "@nasvae/contracts";
import { CAMPAIGN_STATUSES } from "@nasvae/contracts/campaign-status";
import { choiceOption, expectPositionals, integerOption, parseCommandLine } from "../args.ts";
import { apiClient, type Command, println } from "../command.ts";
import { percent, shortTime } from "../format/numbers.ts";
import { formatTable, truncate } from "../format/table.ts";

const OPTIONS = {
  status: { type: "string" },
  limit: { type: "string" },
  format: { type: "string" },
} as const;

export function campaignsTable(campaigns: Campaign[]): string {
  return formatTable(
    [
      { header: "ID" },
      { header: "NAME" },
      { header: "STATUS" },
      { header: "STRATEGY" },
      { header: "SPACE" },
      { header: "DATASET" },
      { header: "EVALUATIONS", align: "right" },
      { header: "BEST VALID %", align: "right" },
      { header: "CREATED" },
    ],
    campaigns.map((campaign) => [
      campaign.id,
      truncate(campaign.name, 32),
      campaign.status,
      campaign.strategy.kind,
      campaign.searchSpace,
      campaign.evaluator.dataset,
      `${campaign.progress.evaluations}/${campaign.progress.budget}`,
      campaign.best ? percent(campaign.best.validationAccuracy) : "-",
      shortTime(campaign.createdAt),
    ]),
  );
}

export const listCommand: Command = {
  name: "list",
  summary: "list campaigns, newest first",
  help: `Usage: nasvae list [--status STATUS] [--limit N] [--format table|json]

Lists campaigns, newest first: id, name, status, strategy, dataset, evaluations done of the
budget, best validation accuracy so far and when it was created.

Options:
  --status STATUS   only ${CAMPAIGN_STATUSES.join(", ")}
  --limit N         at most N campaigns (default: 50, at most 1000)
  --format FORMAT   table (default) or json (the API's campaign objects)

Examples:
  nasvae list
  nasvae list --status running --limit 10`,

  async run(argv, io) {
    const { values, positionals } = parseCommandLine(this.name, OPTIONS, argv);
    expectPositionals(this.name, positionals, []);
    const status = choiceOption(this.name, "status", values.status, CAMPAIGN_STATUSES);
    const limit = integerOption(this.name, "limit", values.limit) ?? 50;
    const format = choiceOption(this.name, "format", values.format, ["table", "json"]) ?? "table";
    const page = await (await apiClient(io, values)).listCampaigns({ status, limit });
    if (format === "json") {
      println(io.stdout, JSON.stringify(page.items, null, 2));
      return 0;
    }
    if (page.items.length === 0) {
      println(
        io.stderr,
        status
          ? `no ${status} campaigns`
          : "no campaigns yet; `nasvae create --help` says how to start one",
      );
      return 0;
    }
    println(io.stdout, campaignsTable(page.items));
    if (page.total > page.items.length) {
      println(io.stderr, `(${page.items.length} of ${page.total}; --limit N shows more)`);
    }
    return 0;
  },
};
