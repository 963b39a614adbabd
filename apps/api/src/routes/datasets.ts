import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { listDatasets } from "@nasvae/datasets";
import Type from "typebox";

const DatasetInfoSchema = Type.Object(
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

const DatasetList = Type.Object(
  { items: Type.Array(DatasetInfoSchema) },
  { additionalProperties: false },
);

export interface DatasetRoutesOptions {
  /** DATASETS_DIR; undefined: the datasets package's default, ./datasets. */
  dataDir: string | undefined;
}

/**
 * GET /datasets: what a train evaluation can name. Availability is checked on every request, by
 * file sizes only, so a dataset mounted after the API started shows up without a restart. It
 * assumes the workers mount the same files as the API (docker-compose.yml and infra/k8s do).
 */
export const datasetRoutes: FastifyPluginAsyncTypebox<DatasetRoutesOptions> = async (
  app,
  options,
) => {
  app.get(
    "/datasets",
    {
      schema: {
        operationId: "listDatasets",
        summary:
          "The datasets workers train on: classes, input shape, split sizes, and whether their files are present",
        tags: ["datasets"],
        response: { 200: DatasetList },
      },
    },
    async () => {
      const datasets = await listDatasets({ dataDir: options.dataDir });
      // The reply schema's arrays are mutable; the catalogue's are not.
      return {
        items: datasets.map((dataset) => ({
          ...dataset,
          inputShape: [...dataset.inputShape],
          missingFiles: [...dataset.missingFiles],
        })),
      };
    },
  );
};
