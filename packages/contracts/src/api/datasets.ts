import Type from "typebox";

/** One dataset a train evaluation can name (GET /datasets). */
export const DatasetInfoSchema = Type.Object(
  {
    name: Type.String({ description: "what a train evaluator's `dataset` names" }),
    description: Type.String(),
    classes: Type.Integer({ minimum: 1 }),
    inputShape: Type.Array(Type.Integer({ minimum: 1 }), {
      minItems: 3,
      maxItems: 3,
      description: "[height, width, channels]",
    }),
    trainSize: Type.Integer({ minimum: 0 }),
    validationSize: Type.Integer({
      minimum: 0,
      description: "held out from training: the search signal",
    }),
    testSize: Type.Integer({ minimum: 0, description: "the reported figure" }),
    source: Type.Enum(["generated", "mounted"], {
      description: "generated in-process (always available), or read from DATASETS_DIR",
    }),
    available: Type.Boolean({
      description: "whether the workers can load it, judged from the API's DATASETS_DIR",
    }),
    missingFiles: Type.Array(Type.String(), {
      description: "files under DATASETS_DIR that are absent or not of the expected size",
    }),
  },
  { additionalProperties: false },
);

/** GET /datasets. */
export const DatasetList = Type.Object(
  { items: Type.Array(DatasetInfoSchema) },
  { additionalProperties: false },
);
