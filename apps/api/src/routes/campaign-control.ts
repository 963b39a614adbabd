import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { CampaignParams, CampaignResponse, ErrorResponse } from "@nasvae/contracts";
import {
  type Campaign,
  CONTROL_FROM,
  type ControlAction,
  type ControlResult,
  cancelCampaign,
  pauseCampaign,
  pendingTrialIds,
  resumeCampaign,
  revertResume,
} from "@nasvae/db";
import {
  promoteHeldJobs,
  redisAddress,
  removeCampaignJobs,
  resumeCampaignJob,
  startCampaignJob,
} from "@nasvae/jobs";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import { campaignView } from "../campaign-view.ts";
import { isUuid } from "../ids.ts";

export interface CampaignControlOptions {
  redisUrl: string;
}

function httpError(statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { statusCode });
}

const PAST = { pause: "paused", resume: "resumed", cancel: "cancelled" } as const;

/** 404 for no such campaign; 409 naming the status that does not allow the action. */
function refused(id: string, action: ControlAction, result: ControlResult<object>): Error {
  if (result.outcome === "missing") return httpError(404, `campaign ${id} not found`);
  if (result.outcome !== "conflict") throw new Error("refused() called on a change");
  const status = result.campaign.status;
  const allowed = CONTROL_FROM[action].join(" or ");
  const already =
    (action === "pause" && status === "paused") || (action === "cancel" && status === "cancelled")
      ? ` (already ${status})`
      : "";
  return httpError(
    409,
    `campaign ${id} is ${status}${already}; only a ${allowed} campaign can be ${PAST[action]}`,
  );
}

const routeSchema = (operationId: string, summary: string, description: string) => ({
  operationId,
  summary,
  description,
  tags: ["campaigns"],
  security: [{ apiKey: [] }],
  params: CampaignParams,
  response: {
    200: CampaignResponse,
    401: ErrorResponse,
    404: ErrorResponse,
    409: ErrorResponse,
    429: ErrorResponse,
    503: ErrorResponse,
  },
});

/**
 * POST /campaigns/:id/pause, /resume and /cancel. Postgres is changed first, in one transaction
 * per request (the source of truth); the queue follows. See docs/campaign-control.md.
 */
export const campaignControlRoutes: FastifyPluginAsyncTypebox<CampaignControlOptions> = async (
  app,
  options,
) => {
  const stillPaused = () =>
    httpError(
      503,
      `the job queue (Redis at ${redisAddress(options.redisUrl)}) is unreachable; the campaign is still paused, retry later`,
    );

  app.post(
    "/campaigns/:id/pause",
    {
      schema: routeSchema(
        "pauseCampaign",
        "Pause a queued or running campaign",
        "No new round is planned and its evaluate jobs that have not started are held; evaluations already running finish and are recorded. 409 unless the campaign is queued or running.",
      ),
    },
    async (request) => {
      const { id } = request.params;
      const result = isUuid(id) ? await pauseCampaign(app.db, id) : { outcome: "missing" as const };
      if (result.outcome !== "changed") throw refused(id, "pause", result);
      request.log.info({ campaignId: id, from: result.previous }, "campaign paused");
      return campaignView(app.db, result.campaign);
    },
  );

  app.post(
    "/campaigns/:id/resume",
    {
      schema: routeSchema(
        "resumeCampaign",
        "Resume a paused campaign",
        "Back to running (queued if it was paused before it started): held evaluate jobs run and planning continues from the first unfinished round. 409 unless the campaign is paused; 503 (nothing changed) if the queue is unreachable.",
      ),
    },
    async (request) => {
      const { id } = request.params;
      const result = isUuid(id)
        ? await resumeCampaign(app.db, id)
        : { outcome: "missing" as const };
      if (result.outcome !== "changed") throw refused(id, "resume", result);
      try {
        await continueCampaign(app, result.campaign, request.log);
      } catch (error) {
        // Without its job a resumed campaign whose round ended while paused would never go on.
        await revertResume(app.db, id, result.campaign.status);
        request.log.error({ err: error, campaignId: id }, "could not enqueue the resume");
        throw stillPaused();
      }
      request.log.info({ campaignId: id, status: result.campaign.status }, "campaign resumed");
      return campaignView(app.db, result.campaign);
    },
  );

  app.post(
    "/campaigns/:id/cancel",
    {
      schema: routeSchema(
        "cancelCampaign",
        "Cancel a queued, running or paused campaign (final)",
        "Ends it as cancelled: its pending trials fail with the error 'campaign cancelled', its jobs that have not started are removed from the queue, and no evaluation recorded after the cancel counts for it. 409 if it has already ended (completed, failed or cancelled).",
      ),
    },
    async (request) => {
      const { id } = request.params;
      const result = isUuid(id)
        ? await cancelCampaign(app.db, id)
        : { outcome: "missing" as const };
      if (result.outcome !== "changed") throw refused(id, "cancel", result);
      try {
        const jobs = await removeCampaignJobs(app.queues, {
          campaignId: id,
          roundIndexes: result.roundIndexes,
          trialIds: result.trialIds,
        });
        request.log.info(
          {
            campaignId: id,
            from: result.previous,
            jobsRemoved: jobs.removed,
            running: jobs.running,
          },
          "campaign cancelled",
        );
      } catch (error) {
        // The cancel holds (Postgres says so): jobs left behind do nothing when they run.
        request.log.warn(
          { err: { message: (error as Error).message }, campaignId: id },
          "campaign cancelled; its queued jobs could not be removed (they will be skipped)",
        );
      }
      return campaignView(app.db, result.campaign);
    },
  );
};

/**
 * After a resume: wakes the evaluate jobs that workers held, and enqueues the job that makes the
 * coordinator plan again (one per resume). A campaign resumed to `queued` whose start job has not
 * run yet needs none: that job starts it.
 */
async function continueCampaign(
  app: FastifyInstance,
  campaign: Campaign,
  log: FastifyBaseLogger,
): Promise<void> {
  const held = await pendingTrialIds(app.db, campaign.id);
  const promoted = await promoteHeldJobs(app.queues, held);
  if (campaign.status === "queued") {
    const start = await app.queues.byName.campaigns.getJob(
      startCampaignJob.jobId({ campaignId: campaign.id }),
    );
    const state = start ? await start.getState() : "missing";
    if (["waiting", "delayed", "prioritized"].includes(state)) return;
  }
  await app.queues.add(resumeCampaignJob, { campaignId: campaign.id, resumedAt: Date.now() });
  log.debug({ campaignId: campaign.id, promoted }, "resume enqueued");
}
