import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { DatasetList } from "@nasvae/contracts";
import { listDatasets } from "@nasvae/datasets";

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
