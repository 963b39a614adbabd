import Type, { type Static } from "typebox";
import { CellGraph } from "./campaign.ts";

const Timestamp = Type.String({ format: "date-time" });
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

export const LearningCurvePoint = Type.Object({
  epoch: Type.Integer({ minimum: 1 }),
  trainLoss: NullableNumber,
  trainAccuracy: NullableNumber,
  validationLoss: NullableNumber,
  validationAccuracy: NullableNumber,
  learningRate: NullableNumber,
  durationMs: Type.Integer(),
  worker: Type.String(),
  recordedAt: Timestamp,
});

export const ArchitectureEvaluation = Type.Object({
  id: Type.String({ format: "uuid" }),
  evaluator: Type.Object({ kind: Type.String() }, { additionalProperties: true }),
  evaluatorFingerprint: Type.String(),
  validationAccuracy: Type.Number(),
  testAccuracy: Type.Union([Type.Number(), Type.Null()], {
    description: "%; null where the evaluator has no test figure (enas-6-table)",
  }),
  flops: Type.Number(),
  params: Type.Number(),
  metrics: Type.Object(
    {},
    { additionalProperties: true, description: "evaluator-specific extras" },
  ),
  worker: Type.String(),
  stoppedEarly: Type.Boolean({
    description: "ended by the early-stopping rule: figures of its last epoch",
  }),
  epochs: Type.Union([Type.Integer(), Type.Null()], {
    description: "epochs trained; null for evaluators that do not train",
  }),
  durationMs: Type.Integer(),
  evaluatedAt: Timestamp,
  learningCurve: Type.Array(LearningCurvePoint, {
    description: "per epoch, for evaluators that train; empty for tabular ones",
  }),
});

export const ArchitectureResponse = Type.Object({
  id: Type.String({ format: "uuid" }),
  searchSpace: Type.String(),
  architecture: Type.String({ description: "the cell in the search space's notation" }),
  canonicalHash: Type.String({ description: "shared by all isomorphic cells" }),
  graph: CellGraph,
  firstSeenAt: Timestamp,
  evaluations: Type.Array(ArchitectureEvaluation),
  /** Training runs with epochs recorded but no result yet (running, or interrupted). */
  unfinishedRuns: Type.Array(
    Type.Object({
      evaluatorFingerprint: Type.String(),
      learningCurve: Type.Array(LearningCurvePoint),
    }),
  ),
  trials: Type.Array(
    Type.Object({
      campaignId: Type.String({ format: "uuid" }),
      campaignName: Type.String(),
      round: Type.Integer(),
      status: Type.String(),
      cached: Type.Boolean(),
      predictedAccuracy: NullableNumber,
      proposedAt: Timestamp,
    }),
  ),
});
export type ArchitectureResponse = Static<typeof ArchitectureResponse>;

export const ArchitectureParams = Type.Object({ id: Type.String() });
