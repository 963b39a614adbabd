import { numberOption, parseCommandLine } from "../args.ts";
import { CAMPAIGN_DEFAULTS, campaignBody, readCampaignFile } from "../campaign-spec.ts";
import { apiClient, type Command, println } from "../command.ts";
import { UsageError } from "../errors.ts";
import { intervalOption, watchCampaign } from "./watch.ts";

const OPTIONS = {
  file: { type: "string", short: "f" },
  name: { type: "string" },
  space: { type: "string" },
  "search-space": { type: "string" },
  evaluator: { type: "string" },
  dataset: { type: "string" },
  strategy: { type: "string" },
  budget: { type: "string" },
  "per-round": { type: "string" },
  seed: { type: "string" },
  lambda: { type: "string" },
  set: { type: "string", multiple: true },
  watch: { type: "boolean", short: "w" },
  interval: { type: "string" },
} as const;

export const createCommand: Command = {
  name: "create",
  summary: "create a campaign from a YAML/JSON file or flags; prints its id",
  help: `Usage: nasvae create [--file campaign.yaml] [options]

Creates a search campaign (POST /campaigns) and prints its id. The file holds the fields of the
request (name, searchSpace, evaluator, strategy, budget, seed; see examples/campaign.yaml), in
YAML or, for a .json file, JSON; \`--file -\` reads standard input. Flags override the file.

Options:
  -f, --file PATH        the campaign as YAML or JSON
  --name NAME            a name to find it by (default: "campaign <date>")
  --search-space ID      nas-bench-201 or enas-macro-6 (default: ${CAMPAIGN_DEFAULTS.searchSpace});
                         --space ID is the same; GET /search-spaces lists them
  --evaluator KIND       nas-bench-201 (NAS-Bench-201's table; the default there),
                         enas-6-table (ENAS-6's weight-sharing table; the default on
                         enas-macro-6) or train (real training, either space, see
                         docs/training.md); a kind other than the file's drops its settings
  --dataset NAME         nas-bench-201: cifar10, cifar100 or ImageNet16-120; enas-6-table:
                         cifar10; train: synthetic-shapes, fashion-mnist, cifar10 or
                         cifar100
                         (default: ${CAMPAIGN_DEFAULTS.dataset})
  --strategy KIND        graph-vae (the API's default), evolution, local-search, nsga2
                         or random; a kind other than the file's drops the file's
                         strategy settings
  --budget N             evaluations in all (required, here or in the file)
  --per-round N          candidates per round (the API's default: 10)
  --seed N               random seed (default: chosen by the API)
  --lambda X             graph-vae: FLOPs penalty of the latent objective (0 = accuracy only)
  --set PATH=VALUE       any other field, VALUE read as YAML; repeatable
                         (e.g. --set strategy.topK=5 --set strategy.populationSize=30)
  -w, --watch            then follow it as \`nasvae watch\` does
  --interval SECONDS     with --watch: between two looks (default: 1)

Examples:
  nasvae create --file examples/campaign.yaml
  nasvae create --name quick --strategy evolution --budget 50 --seed 3 --watch
  nasvae create -f examples/campaign.yaml --budget 200 --lambda 0.5
  ID=$(nasvae create --budget 100 --dataset cifar100) && nasvae watch "$ID"
  nasvae create -f examples/train-campaign.yaml --watch
  nasvae create --search-space enas-macro-6 --evaluator enas-6-table --strategy random --budget 20
  nasvae create --evaluator train --dataset synthetic-shapes --set evaluator.epochs=2 --budget 4`,

  async run(argv, io) {
    const { values, positionals } = parseCommandLine(this.name, OPTIONS, argv);
    if (positionals.length > 0) {
      throw new UsageError(
        `unexpected argument "${positionals[0]}" (the campaign file goes after --file)`,
        this.name,
      );
    }
    const file = values.file !== undefined ? await readCampaignFile(values.file) : undefined;
    if (values.space !== undefined && values["search-space"] !== undefined) {
      throw new UsageError("--space and --search-space are the same option: give one", this.name);
    }
    const body = await campaignBody(file, {
      name: values.name,
      space: values["search-space"] ?? values.space,
      evaluator: values.evaluator,
      dataset: values.dataset,
      strategy: values.strategy,
      // Numbers only here; the API checks ranges and says which limit was crossed.
      budget: numberOption(this.name, "budget", values.budget),
      perRound: numberOption(this.name, "per-round", values["per-round"]),
      seed: numberOption(this.name, "seed", values.seed),
      lambda: numberOption(this.name, "lambda", values.lambda),
      set: values.set,
    });
    const intervalMs = intervalOption(this.name, values.interval);
    const api = await apiClient(io, values);
    const campaign = await api.createCampaign(body);
    println(io.stdout, campaign.id);
    println(
      io.stderr,
      `created campaign "${campaign.name}": ${campaign.budget.evaluations} evaluations of ${campaign.searchSpace} on ${campaign.evaluator.dataset}, ${campaign.strategy.kind} search, ${campaign.budget.perRound} per round, seed ${campaign.seed}`,
    );
    if (!values.watch) return 0;
    return watchCampaign(api, campaign.id, io, { intervalMs });
  },
};
