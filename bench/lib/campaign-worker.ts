/**
 * Child process of the search bench: runs the campaigns its parent sends, one at a time, and
 * answers each with the run or the error. Started by runCampaignsInChildren (pool.ts) through
 * `node --import tsx`; exits when the parent disconnects.
 */
import { loadNasBench201Table } from "@nasvae/evaluators";
import { nb201Cifar10Score } from "./nb201.ts";
import type { CampaignReply, CampaignRequest } from "./pool.ts";
import { runCampaign } from "./run-campaign.ts";

const send = process.send?.bind(process);
if (!send)
  throw new Error("campaign-worker.ts runs as a child of bench/search.ts (needs an IPC channel)");

const score = nb201Cifar10Score();
// Loaded before the first campaign starts its clock, so no round's wall time includes the parse.
const tableLoaded = loadNasBench201Table();

process.on("message", (message: CampaignRequest) => {
  void (async () => {
    let reply: CampaignReply;
    try {
      await tableLoaded;
      const run = await runCampaign({ ...message.task, score });
      reply = { id: message.task.id, run };
    } catch (error) {
      reply = {
        id: message.task.id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      };
    }
    send(reply);
  })();
});

process.on("disconnect", () => process.exit(0));
