import {
  DEFAULT_MIN_PEERS,
  NB201_DATASETS,
  TRAIN_DATASETS,
  TRAIN_OPTIMIZERS,
  TRAIN_SPEC_DEFAULTS,
  TRAIN_SPEC_LIMITS,
} from "@nasvae/evaluators";
import { discriminatedUnion } from "@nasvae/strategies";
import Type from "typebox";

const defaults = TRAIN_SPEC_DEFAULTS;
const limits = TRAIN_SPEC_LIMITS;

function integer(limit: { min: number; max: number }, description: string) {
  return Type.Optional(Type.Integer({ minimum: limit.min, maximum: limit.max, description }));
}

const NasBench201EvaluatorBody = Type.Object(
  { kind: Type.Literal("nas-bench-201"), dataset: Type.Enum([...NB201_DATASETS]) },
  { additionalProperties: false, description: "look results up in the NAS-Bench-201 table" },
);

const Enas6TableEvaluatorBody = Type.Object(
  {
    kind: Type.Literal("enas-6-table"),
    dataset: Type.Optional(
      Type.Literal("cifar10", { description: "the table's only dataset; filled in if left out" }),
    ),
  },
  {
    additionalProperties: false,
    description:
      "look enas-macro-6 cells up in D-VAE's ENAS-6 table: weight-sharing CIFAR-10 validation accuracy, no test accuracy (null)",
  },
);

/**
 * Real training (docs/training.md). Field bounds are checked here; what depends on several
 * fields (earlyStopping.afterEpochs below epochs) by validateEvaluatorSpec, also a 400.
 */
const TrainEvaluatorBody = Type.Object(
  {
    kind: Type.Literal("train"),
    dataset: Type.Enum([...TRAIN_DATASETS], { description: "see GET /datasets" }),
    epochs: integer(limits.epochs, `default ${defaults.epochs}`),
    batchSize: integer(limits.batchSize, `default ${defaults.batchSize}`),
    cellsPerStage: integer(limits.cellsPerStage, `N; default ${defaults.cellsPerStage}`),
    channels: integer(limits.channels, `C of the first stage; default ${defaults.channels}`),
    optimizer: Type.Optional(
      Type.Enum([...TRAIN_OPTIMIZERS], { description: `default ${defaults.optimizer}` }),
    ),
    learningRate: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 10,
        description: `default ${defaults.learningRate}`,
      }),
    ),
    momentum: Type.Optional(
      Type.Number({
        minimum: 0,
        exclusiveMaximum: 1,
        description: `SGD only; default ${defaults.momentum}`,
      }),
    ),
    weightDecay: Type.Optional(
      Type.Number({
        minimum: 0,
        exclusiveMaximum: 1,
        description: `default ${defaults.weightDecay}`,
      }),
    ),
    augment: Type.Optional(
      Type.Boolean({ description: `random crop + flip; default ${defaults.augment}` }),
    ),
    seed: integer(limits.seed, `default ${defaults.seed}`),
    trainSamples: integer(limits.trainSamples, "train on the first n images only; default all"),
    earlyStopping: Type.Optional(
      Type.Object(
        {
          rule: Type.Literal("median"),
          afterEpochs: Type.Integer({ minimum: 1, description: "below epochs" }),
          minPeers: integer(limits.minPeers, `default ${DEFAULT_MIN_PEERS}`),
        },
        { additionalProperties: false, description: "absent: every run trains all its epochs" },
      ),
    ),
  },
  { additionalProperties: false, description: "train each architecture for real" },
);

/** The evaluator of POST /campaigns, checked with messages for the kind it names. */
export const EvaluatorBody = discriminatedUnion([
  NasBench201EvaluatorBody,
  Enas6TableEvaluatorBody,
  TrainEvaluatorBody,
]);
