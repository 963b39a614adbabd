import Type, { type Static } from "typebox";
import { CAMPAIGN_STATUSES } from "../campaign-status.ts";
import { EvaluatorSpecSchema } from "../evaluator-spec.ts";
import { SEARCH_SPACE_IDS } from "../search-spaces.ts";
import { StrategySpecSchema } from "../strategy-spec.ts";

/** The largest offset or index a query takes: PostgreSQL's 32-bit integer. */
export const MAX_INT4 = 2 ** 31 - 1;

/** The strategy of a campaign that does not name one: the paper's method. */
export const DEFAULT_STRATEGY = { kind: "graph-vae" } as const;

/** Candidates per round when the campaign does not say. */
export const DEFAULT_ROUND_SIZE = 10;

/** The body of POST /campaigns. `maxBudget` comes from the MAX_BUDGET setting. */
export function createCampaignBodySchema(maxBudget: number) {
  return Type.Object(
    {
      name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      searchSpace: Type.Enum([...SEARCH_SPACE_IDS], {
        description: "see GET /search-spaces for each space and the evaluators that fit it",
      }),
      /** Checked with messages for the kind it names; defaults are filled in by validateEvaluatorSpec. */
      evaluator: EvaluatorSpecSchema,
      /** Default: {"kind": "graph-vae"} with its default settings. */
      strategy: Type.Optional(StrategySpecSchema),
      budget: Type.Object(
        {
          evaluations: Type.Integer({ minimum: 1, maximum: maxBudget }),
          perRound: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 1000,
              description: `default ${DEFAULT_ROUND_SIZE}`,
            }),
          ),
        },
        { additionalProperties: false },
      ),
      seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
    },
    { additionalProperties: false, title: "CreateCampaignRequest" },
  );
}
export type CreateCampaignBody = Static<ReturnType<typeof createCampaignBodySchema>>;

const Timestamp = Type.String({ format: "date-time" });
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

export const ArchitectureResult = Type.Object(
  {
    architectureId: Type.String({
      format: "uuid",
      description: "the architecture's isomorphism class",
    }),
    architecture: Type.String({ description: "the cell in the search space's notation" }),
    validationAccuracy: Type.Number({ description: "%, the signal the search sees" }),
    testAccuracy: Type.Union([Type.Number(), Type.Null()], {
      description:
        "%, reported, never used by the search; null where the evaluator has no test figure (enas-6-table: its table holds a weight-sharing validation accuracy only)",
    }),
    flops: Type.Number({ description: "multiply-accumulates of one forward pass" }),
    params: Type.Number({ description: "parameter count" }),
  },
  { title: "ArchitectureResult" },
);
export type ArchitectureResult = Static<typeof ArchitectureResult>;

/** A cell to draw (CellGraph of @nasvae/search-space): edges whose op is `none` are left out. */
export const CellGraph = Type.Object(
  {
    nodes: Type.Array(Type.Object({ id: Type.Integer(), label: Type.String() })),
    edges: Type.Array(
      Type.Object({
        from: Type.Integer(),
        to: Type.Integer(),
        op: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
  },
  { title: "CellGraph" },
);
export type CellGraph = Static<typeof CellGraph>;

export const CampaignResponse = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    name: Type.String(),
    status: Type.Enum([...CAMPAIGN_STATUSES]),
    searchSpace: Type.String(),
    evaluator: Type.Object(
      { kind: Type.String(), dataset: Type.String() },
      { additionalProperties: true, description: "as validated, defaults filled in" },
    ),
    strategy: Type.Object({ kind: Type.String() }, { additionalProperties: true }),
    budget: Type.Object({ evaluations: Type.Integer(), perRound: Type.Integer() }),
    seed: Type.Integer(),
    progress: Type.Object({
      evaluations: Type.Integer({ description: "evaluations done (cached ones included)" }),
      budget: Type.Integer(),
      pending: Type.Integer({ description: "proposed, not yet evaluated" }),
      failed: Type.Integer({ description: "evaluations that failed for good (not counted)" }),
      cached: Type.Integer({ description: "answered from earlier evaluations, no job run" }),
      rounds: Type.Integer(),
    }),
    best: Type.Union([
      Type.Intersect([
        ArchitectureResult,
        Type.Object({ graph: Type.Union([CellGraph, Type.Null()], { description: "to draw" }) }),
      ]),
      Type.Null(),
    ]),
    model: Type.Union([
      Type.Object({
        strategy: Type.String(),
        backend: Type.Union([Type.String(), Type.Null()]),
        snapshots: Type.Integer({ description: "rounds whose model weights are saved" }),
        lastRound: Type.Integer(),
        sizeBytes: Type.Integer(),
      }),
      Type.Null(),
    ]),
    error: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
    startedAt: NullableTimestamp,
    finishedAt: NullableTimestamp,
  },
  { title: "Campaign" },
);
export type CampaignResponse = Static<typeof CampaignResponse>;

export const EvaluationItem = Type.Intersect([
  ArchitectureResult,
  Type.Object({
    round: Type.Integer(),
    cached: Type.Boolean(),
    stoppedEarly: Type.Boolean({
      description: "ended by the early-stopping rule: figures of its last epoch",
    }),
    epochs: Type.Union([Type.Integer(), Type.Null()], {
      description: "epochs trained; null for evaluators that do not train",
    }),
    worker: Type.String(),
    proposedAt: Timestamp,
    evaluatedAt: Timestamp,
    recordedAt: Timestamp,
  }),
]);
export type EvaluationItem = Static<typeof EvaluationItem>;

export const EvaluationPage = Type.Object({
  items: Type.Array(EvaluationItem),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
export type EvaluationPage = Static<typeof EvaluationPage>;

export const CampaignParams = Type.Object({ id: Type.String() });

export const EvaluationQuery = Type.Object(
  {
    /** recorded (default): as results arrived; accuracy: best validation first; flops: cheapest first. */
    sort: Type.Enum(["recorded", "accuracy", "flops"], { default: "recorded" }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    offset: Type.Integer({ minimum: 0, maximum: MAX_INT4, default: 0 }),
  },
  { additionalProperties: false },
);
export type EvaluationQuery = Static<typeof EvaluationQuery>;
/** How GET /campaigns/:id/evaluations sorts. */
export type EvaluationSort = EvaluationQuery["sort"];

export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    message: Type.String(),
    details: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
    ),
    /** On a 503: the dependency that is unreachable (`postgres` or `redis`). */
    dependency: Type.Optional(Type.String()),
    /** On a 429 from a per-key cap: the setting, its value and the key's current count. */
    limit: Type.Optional(Type.String()),
    max: Type.Optional(Type.Integer()),
    current: Type.Optional(Type.Integer()),
  },
  { title: "Error" },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

export const CampaignListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum([...CAMPAIGN_STATUSES])),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: MAX_INT4, default: 0 }),
  },
  { additionalProperties: false },
);

export const CampaignPage = Type.Object({
  items: Type.Array(CampaignResponse),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
export type CampaignPage = Static<typeof CampaignPage>;

export const ParetoFront = Type.Object({
  items: Type.Array(Type.Intersect([ArchitectureResult, Type.Object({ round: Type.Integer() })])),
});
export type ParetoFront = Static<typeof ParetoFront>;
