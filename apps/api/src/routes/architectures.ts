import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { ArchitectureParams, ArchitectureResponse, ErrorResponse } from "@nasvae/contracts";
import { findArchitectureDetail, type LearningCurvePoint } from "@nasvae/db";
import { cellGraph } from "@nasvae/search-space";
import { isUuid } from "../ids.ts";

function curvePoint(point: LearningCurvePoint) {
  return {
    epoch: point.epoch,
    trainLoss: point.trainLoss,
    trainAccuracy: point.trainAccuracy,
    validationLoss: point.validationLoss,
    validationAccuracy: point.validationAccuracy,
    learningRate: point.learningRate,
    durationMs: point.durationMs,
    worker: point.worker,
    recordedAt: point.createdAt.toISOString(),
  };
}

export const architectureRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/architectures/:id",
    {
      schema: {
        operationId: "getArchitecture",
        summary:
          "One architecture: its cell, every evaluation with its learning curve, and the campaigns that proposed it",
        tags: ["architectures"],
        params: ArchitectureParams,
        response: { 200: ArchitectureResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const detail = isUuid(id) ? await findArchitectureDetail(app.db, id) : null;
      if (!detail) {
        return reply
          .code(404)
          .send({ statusCode: 404, error: "Not Found", message: `architecture ${id} not found` });
      }
      const { architecture, evaluations, learningCurve, trials } = detail;
      const curveOf = (fingerprint: string) =>
        learningCurve.filter((p) => p.evaluatorFingerprint === fingerprint).map(curvePoint);
      const finished = new Set(evaluations.map((e) => e.evaluatorFingerprint));
      const unfinished = [...new Set(learningCurve.map((p) => p.evaluatorFingerprint))].filter(
        (fingerprint) => !finished.has(fingerprint),
      );
      const body: ArchitectureResponse = {
        id: architecture.id,
        searchSpace: architecture.searchSpace,
        architecture: architecture.archString,
        canonicalHash: architecture.canonicalHash,
        graph: cellGraph(
          architecture.searchSpace,
          architecture.archString,
        ) as ArchitectureResponse["graph"],
        firstSeenAt: architecture.createdAt.toISOString(),
        evaluations: evaluations.map((evaluation) => ({
          id: evaluation.id,
          evaluator:
            evaluation.evaluator as ArchitectureResponse["evaluations"][number]["evaluator"],
          evaluatorFingerprint: evaluation.evaluatorFingerprint,
          validationAccuracy: evaluation.validationAccuracy,
          testAccuracy: evaluation.testAccuracy,
          flops: evaluation.flops,
          params: evaluation.params,
          metrics: evaluation.metrics as Record<string, unknown>,
          stoppedEarly: evaluation.stoppedEarly,
          epochs: evaluation.epochs,
          worker: evaluation.worker,
          durationMs: evaluation.durationMs,
          evaluatedAt: evaluation.createdAt.toISOString(),
          learningCurve: curveOf(evaluation.evaluatorFingerprint),
        })),
        unfinishedRuns: unfinished.map((fingerprint) => ({
          evaluatorFingerprint: fingerprint,
          learningCurve: curveOf(fingerprint),
        })),
        trials: trials.map((trial) => ({
          campaignId: trial.campaignId,
          campaignName: trial.campaignName,
          round: trial.roundIndex,
          status: trial.status,
          cached: trial.cached,
          predictedAccuracy: trial.predictedAccuracy,
          proposedAt: trial.createdAt.toISOString(),
        })),
      };
      return body;
    },
  );
};
