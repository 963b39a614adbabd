import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  CampaignListQuery,
  CampaignPage,
  CampaignParams,
  CampaignResponse,
  createCampaignBodySchema,
  DEFAULT_ROUND_SIZE,
  DEFAULT_STRATEGY,
  ErrorResponse,
  EvaluationPage,
  EvaluationQuery,
  type EvaluatorSpec,
  EvaluatorSpecError,
  ParetoFront,
  strategySpecProblem,
  validateEvaluatorSpec,
} from "@nasvae/contracts";
import {
  type CampaignQuota,
  createCampaignWithinQuota,
  deleteCampaign,
  findCampaign,
  findParetoFront,
  listCampaigns,
  listCompletedTrials,
} from "@nasvae/db";
import { evaluatorFingerprint } from "@nasvae/evaluators";
import { redisAddress, startCampaignJob } from "@nasvae/jobs";
import { CampaignSettingError, checkCampaignSettings } from "../campaign-domain.ts";
import {
  architectureResult,
  campaignView,
  campaignViews,
  newCampaignView,
} from "../campaign-view.ts";
import { isUuid } from "../ids.ts";

export interface CampaignRoutesOptions {
  maxBudget: number;
  redisUrl: string;
  /** TRAIN_MEMORY_LIMIT_MB: train specs estimated above it are refused. */
  trainMemoryLimitMb: number;
  /** Per-key caps on queued work. */
  quota: CampaignQuota;
}

class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The spec with defaults filled in; what the schema cannot see (e.g. afterEpochs < epochs) is a 400. */
function validEvaluator(body: unknown): EvaluatorSpec {
  try {
    return validateEvaluatorSpec(body);
  } catch (error) {
    if (error instanceof EvaluatorSpecError) throw new HttpError(400, error.message);
    throw error;
  }
}

/**
 * Evaluator and space fit each other, the budget fits what it can score, and a train spec fits a
 * worker's memory; else a 400.
 */
async function validSettings(
  searchSpace: string,
  evaluator: EvaluatorSpec,
  budget: number,
  trainMemoryLimitMb: number,
) {
  try {
    await checkCampaignSettings(searchSpace, evaluator, budget, trainMemoryLimitMb);
  } catch (error) {
    if (error instanceof CampaignSettingError) throw new HttpError(400, error.message);
    throw error;
  }
}

function notFound(id: string): HttpError {
  return new HttpError(404, `campaign ${id} not found`);
}

export const campaignRoutes: FastifyPluginAsyncTypebox<CampaignRoutesOptions> = async (
  app,
  options,
) => {
  app.post(
    "/campaigns",
    {
      schema: {
        operationId: "createCampaign",
        summary: "Create a search campaign and enqueue it",
        tags: ["campaigns"],
        security: [{ apiKey: [] }],
        body: createCampaignBodySchema(options.maxBudget),
        response: {
          201: CampaignResponse,
          400: ErrorResponse,
          401: ErrorResponse,
          413: ErrorResponse,
          429: ErrorResponse,
          503: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const evaluator = validEvaluator(body.evaluator);
      const strategyProblem = strategySpecProblem(body.strategy ?? DEFAULT_STRATEGY);
      if (strategyProblem !== null) throw new HttpError(400, strategyProblem);
      await validSettings(
        body.searchSpace,
        evaluator,
        body.budget.evaluations,
        options.trainMemoryLimitMb,
      );
      const owner = request.principal;
      if (!owner) throw new HttpError(401, "creating a campaign needs an API key");
      const created = await createCampaignWithinQuota(
        app.db,
        {
          ownerKeyHash: owner.keyHash,
          name: body.name ?? `campaign ${new Date().toISOString()}`,
          searchSpace: body.searchSpace,
          evaluator: { ...evaluator },
          evaluatorFingerprint: await evaluatorFingerprint(evaluator),
          strategy: { ...(body.strategy ?? DEFAULT_STRATEGY) },
          budgetEvaluations: body.budget.evaluations,
          roundSize: body.budget.perRound ?? DEFAULT_ROUND_SIZE,
          seed: body.seed ?? Math.floor(Math.random() * 2 ** 31),
        },
        options.quota,
      );
      if ("refused" in created) {
        const { limit, max, current, requested } = created.refused;
        const what =
          limit === "MAX_ACTIVE_CAMPAIGNS_PER_KEY"
            ? `this key has ${current} active campaigns (queued, running or paused), the most allowed`
            : `this key's active campaigns have ${current} evaluations pending, and this one asks for ${requested} more`;
        request.log.info({ limit, max, current, requested }, "campaign refused: per-key cap");
        return reply.code(429).send({
          statusCode: 429,
          error: "Too Many Requests",
          message: `${limit} is ${max}: ${what}; wait for campaigns to end or cancel some`,
          limit,
          max,
          current,
        });
      }
      const campaign = created.campaign;
      try {
        await app.queues.add(startCampaignJob, { campaignId: campaign.id });
      } catch (error) {
        // Nothing half-done: without its job the campaign would never run, so undo the row.
        await deleteCampaign(app.db, campaign.id);
        request.log.error({ err: error }, "could not enqueue the campaign");
        throw new HttpError(
          503,
          `the job queue (Redis at ${redisAddress(options.redisUrl)}) is unreachable; the campaign was not created, retry later`,
        );
      }
      request.log.info(
        { campaignId: campaign.id, name: campaign.name, budget: campaign.budgetEvaluations },
        "campaign queued",
      );
      return reply
        .code(201)
        .header("location", `/campaigns/${campaign.id}`)
        .send(newCampaignView(campaign));
    },
  );

  app.get(
    "/campaigns",
    {
      schema: {
        operationId: "listCampaigns",
        summary: "Campaigns, newest first; filter by status, paginate",
        tags: ["campaigns"],
        querystring: CampaignListQuery,
        response: { 200: CampaignPage, 400: ErrorResponse },
      },
    },
    async (request) => {
      const { status, limit, offset } = request.query;
      const page = await listCampaigns(app.db, { ...(status ? { status } : {}), limit, offset });
      const items = await campaignViews(app.db, page.items);
      return { items, total: page.total, limit, offset };
    },
  );

  app.get(
    "/campaigns/:id/pareto-front",
    {
      schema: {
        operationId: "getParetoFront",
        summary:
          "The accuracy-vs-FLOPs Pareto front of the architectures evaluated so far, by FLOPs",
        tags: ["campaigns"],
        params: CampaignParams,
        response: { 200: ParetoFront, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { id } = request.params;
      const campaign = isUuid(id) ? await findCampaign(app.db, id) : null;
      if (!campaign) throw notFound(id);
      const front = await findParetoFront(app.db, id);
      return {
        items: front.map((trial) => ({ ...architectureResult(trial), round: trial.round.index })),
      };
    },
  );

  app.get(
    "/campaigns/:id",
    {
      schema: {
        operationId: "getCampaign",
        summary: "A campaign's status, progress and best architecture so far",
        tags: ["campaigns"],
        params: CampaignParams,
        response: { 200: CampaignResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { id } = request.params;
      const campaign = isUuid(id) ? await findCampaign(app.db, id) : null;
      if (!campaign) throw notFound(id);
      return campaignView(app.db, campaign);
    },
  );

  app.get(
    "/campaigns/:id/evaluations",
    {
      schema: {
        operationId: "listEvaluations",
        summary:
          "The architectures a campaign evaluated: as recorded, best validation accuracy first, or cheapest first",
        tags: ["campaigns"],
        params: CampaignParams,
        querystring: EvaluationQuery,
        response: { 200: EvaluationPage, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { limit, offset, sort } = request.query;
      const campaign = isUuid(id) ? await findCampaign(app.db, id) : null;
      if (!campaign) throw notFound(id);
      const page = await listCompletedTrials(app.db, id, { limit, offset, order: sort });
      return {
        items: page.items.map((trial) => ({
          ...architectureResult(trial),
          round: trial.round.index,
          cached: trial.cached,
          stoppedEarly: trial.evaluation.stoppedEarly,
          epochs: trial.evaluation.epochs,
          worker: trial.evaluation.worker,
          proposedAt: trial.createdAt.toISOString(),
          evaluatedAt: trial.evaluation.createdAt.toISOString(),
          recordedAt: (trial.finishedAt ?? trial.evaluation.createdAt).toISOString(),
        })),
        total: page.total,
        limit,
        offset,
      };
    },
  );
};
