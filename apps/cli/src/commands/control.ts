import type { CampaignAction } from "../api-client.ts";
import { expectPositionals, parseCommandLine } from "../args.ts";
import { apiClient, type Command, println } from "../command.ts";

const DONE = { pause: "paused", resume: "resumed", cancel: "cancelled" } as const;

function controlCommand(action: CampaignAction, summary: string, details: string): Command {
  return {
    name: action,
    summary,
    help: `Usage: nasvae ${action} ID

${details}
Prints the campaign's new status and progress. Exit 1, with the API's reason, when the campaign's
status does not allow it (409), or there is no such campaign (404). Needs an API key.
Details: docs/campaign-control.md.

Example:
  nasvae ${action} 3f6c0f6e-2a7b-4b8e-9d55-1c1a3b0b7e21`,

    async run(argv, io) {
      const { values, positionals } = parseCommandLine(action, {}, argv);
      const [id] = expectPositionals(action, positionals, ["ID"]);
      const campaign = await (await apiClient(io, values)).controlCampaign(id as string, action);
      const { evaluations, budget, pending } = campaign.progress;
      println(
        io.stdout,
        `campaign ${campaign.id} ${DONE[action]}: now ${campaign.status}, ${evaluations}/${budget} evaluations, ${pending} pending`,
      );
      return 0;
    },
  };
}

export const pauseCommand = controlCommand(
  "pause",
  "pause a queued or running campaign (no new rounds; evaluations not started are held)",
  `Pauses a queued or running campaign: no new round is planned and its evaluations that have
not started wait; the ones running finish and are recorded. \`nasvae resume ID\` goes on.`,
);

export const resumeCommand = controlCommand(
  "resume",
  "resume a paused campaign where it stopped",
  `Resumes a paused campaign: the held evaluations run and planning goes on from where it
stopped. The campaign is running again (queued, if it was paused before it started).`,
);

export const cancelCommand = controlCommand(
  "cancel",
  "cancel a queued, running or paused campaign (final)",
  `Cancels a campaign for good: evaluations not yet recorded are dropped (their trials fail with
"campaign cancelled"), its queued jobs are removed, and no round is planned any more. The
evaluations recorded before the cancel stay, with the best architecture so far.`,
);
