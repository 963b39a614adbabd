import Type, { type Static } from "typebox";

const Timestamp = Type.String({ format: "date-time" });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const RoundTrial = Type.Object({
  id: Type.String({ format: "uuid", description: "the trial (its evaluate job is trial-<id>)" }),
  architectureId: Type.String({ format: "uuid" }),
  architecture: Type.String({ description: "the cell as the strategy proposed it" }),
  status: Type.Enum(["pending", "completed", "failed"]),
  cached: Type.Boolean({ description: "answered from an earlier evaluation, no job run" }),
  predictedAccuracy: Nullable(
    Type.Number({ description: "%, the proposing model's prediction (model-based rounds)" }),
  ),
  predictedFlops: Nullable(Type.Number()),
  validationAccuracy: Nullable(Type.Number({ description: "%, null until evaluated" })),
  testAccuracy: Nullable(
    Type.Number({
      description:
        "%, null until evaluated, and for evaluators without a test figure (enas-6-table)",
    }),
  ),
  flops: Nullable(Type.Number()),
  params: Nullable(Type.Number()),
  error: Nullable(Type.String({ description: "why the evaluation failed for good" })),
  finishedAt: Nullable(Timestamp),
});

export const RoundItem = Type.Object({
  index: Type.Integer(),
  status: Type.Enum(["running", "completed", "failed"]),
  strategy: Type.String(),
  proposed: Type.Integer(),
  counts: Type.Object({
    completed: Type.Integer({ description: "cached ones included" }),
    pending: Type.Integer(),
    failed: Type.Integer(),
    cached: Type.Integer(),
  }),
  createdAt: Timestamp,
  finishedAt: Nullable(Timestamp),
  durationMs: Nullable(Type.Integer({ description: "proposal to close; null while running" })),
  info: Type.Object(
    {
      phase: Nullable(Type.String({ description: "e.g. random, model, evolution" })),
      backend: Nullable(Type.String({ description: "TensorFlow.js backend that trained" })),
      proposeMs: Nullable(Type.Number({ description: "time the strategy took to propose" })),
      trainMs: Nullable(Type.Number({ description: "model training within the proposal" })),
      searchMs: Nullable(Type.Number({ description: "latent search within the proposal" })),
      loss: Nullable(Type.Number({ description: "total training loss at the end" })),
      chosenEdits: Nullable(
        Type.Array(Type.Number(), {
          description:
            "model rounds: per proposal the model chose, the node classes that differ from the nearest start cell (a top cell)",
        }),
      ),
      chosenFromNeighbours: Nullable(
        Type.Integer({
          description:
            "model rounds: how many of the chosen proposals are unseen one-edit neighbours of the best cell that the predictor ranked (graph-vae `neighbourCentres`), not decodes of the latent search",
        }),
      ),
      chosenSnapDistances: Nullable(
        Type.Array(Type.Number(), {
          description:
            "model rounds on a table's domain (enas-6-table): per chosen proposal, the mutations between the decoded cell and the table cell proposed (0: the same)",
        }),
      ),
    },
    { description: "what the strategy reported of its proposal" },
  ),
  trials: Type.Array(RoundTrial),
});

export type RoundItem = Static<typeof RoundItem>;

export const RoundList = Type.Object({ items: Type.Array(RoundItem) });
export type RoundList = Static<typeof RoundList>;

export const RoundQuery = Type.Object(
  {
    /** Pollers keep the rounds that have completed and ask only for the ones after. */
    fromRound: Type.Integer({
      minimum: 0,
      maximum: 2 ** 31 - 1,
      default: 0,
      description: "first round index listed",
    }),
  },
  { additionalProperties: false },
);
