import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  CampaignParams,
  ErrorResponse,
  type RoundItem,
  RoundList,
  RoundQuery,
} from "@nasvae/contracts";
import { findCampaign, listRoundsWithResults, type RoundWithResults } from "@nasvae/db";
import type { Static } from "typebox";
import { isUuid } from "../ids.ts";
import { publicError } from "../public-error.ts";

function notFound(id: string): Error {
  return Object.assign(new Error(`campaign ${id} not found`), { statusCode: 404 });
}

/** GET /campaigns/:id/rounds: the rounds of a campaign with their trials, for the campaign page. */
export const roundRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/campaigns/:id/rounds",
    {
      schema: {
        operationId: "listRounds",
        summary: "A campaign's rounds, each with its trials, predictions and results so far",
        tags: ["campaigns"],
        params: CampaignParams,
        querystring: RoundQuery,
        response: { 200: RoundList, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { id } = request.params;
      const campaign = isUuid(id) ? await findCampaign(app.db, id) : null;
      if (!campaign) throw notFound(id);
      const rounds = await listRoundsWithResults(app.db, id, request.query.fromRound);
      return { items: rounds.map(roundItem) };
    },
  );
};

function roundItem(round: RoundWithResults): Static<typeof RoundItem> {
  const counts = { completed: 0, pending: 0, failed: 0, cached: 0 };
  for (const trial of round.trials) {
    counts[trial.status] += 1;
    if (trial.status === "completed" && trial.cached) counts.cached += 1;
  }
  return {
    index: round.index,
    status: round.status,
    strategy: round.strategy,
    proposed: round.proposed,
    counts,
    createdAt: round.createdAt.toISOString(),
    finishedAt: round.finishedAt?.toISOString() ?? null,
    durationMs: round.finishedAt ? round.finishedAt.getTime() - round.createdAt.getTime() : null,
    info: roundInfo(round.info),
    trials: round.trials.map((trial) => ({
      id: trial.id,
      architectureId: trial.architectureId,
      architecture: trial.archString,
      status: trial.status,
      cached: trial.cached,
      predictedAccuracy: trial.predictedAccuracy,
      predictedFlops: trial.predictedFlops,
      validationAccuracy: trial.evaluation?.validationAccuracy ?? null,
      testAccuracy: trial.evaluation?.testAccuracy ?? null,
      flops: trial.evaluation?.flops ?? null,
      params: trial.evaluation?.params ?? null,
      error: publicError(trial.error),
      finishedAt: trial.finishedAt?.toISOString() ?? null,
    })),
  };
}

/** The few fields of a round's free-form `info` (written by the strategy) worth showing. */
function roundInfo(info: unknown): Static<typeof RoundItem>["info"] {
  const record = info !== null && typeof info === "object" ? (info as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === "string" ? value : null);
  const number = (value: unknown) =>
    typeof value === "number" && Number.isFinite(value) ? value : null;
  const numbers = (value: unknown) =>
    Array.isArray(value) && value.every((v) => typeof v === "number" && Number.isFinite(v))
      ? (value as number[])
      : null;
  const loss = record.loss;
  return {
    phase: text(record.phase),
    backend: text(record.backend),
    proposeMs: number(record.proposeMs),
    trainMs: number(record.trainMs),
    searchMs: number(record.searchMs),
    loss: number(
      loss !== null && typeof loss === "object" ? (loss as Record<string, unknown>).total : loss,
    ),
    chosenEdits: numbers(record.chosenEdits),
    chosenFromNeighbours: number(record.chosenFromNeighbours),
    chosenSnapDistances: numbers(record.chosenSnapDistances),
  };
}
