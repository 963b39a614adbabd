import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import fp from "fastify-plugin";
import { type PublishOptions, publishDocument } from "../openapi-document.ts";

export const DOCS_PATH = "/docs";

/**
 * The OpenAPI document, generated from the routes' TypeBox schemas (served at /docs/json and
 * /docs/yaml), and Swagger UI at /docs. Registered before the routes so that it sees them all.
 * openapi-document.ts rewrites it for client generators; `readAccess` is the mode served.
 */
export default fp<PublishOptions>(
  async (app, options) => {
    await app.register(swagger, {
      openapi: {
        openapi: "3.1.0",
        info: {
          title: "nasvae",
          description:
            "Neural architecture search with a graph VAE: create search campaigns, follow them, read their results. Writes need an API key (`Authorization: Bearer KEY`).",
          version: "0.1.0",
        },
        tags: [
          { name: "campaigns", description: "Search campaigns and their results" },
          { name: "architectures", description: "Cells and everything measured about them" },
          { name: "datasets", description: "What the workers can train child networks on" },
          {
            name: "search spaces",
            description: "The cells campaigns search, and the evaluators that can score them",
          },
          { name: "operations", description: "Health and metrics" },
        ],
        components: {
          securitySchemes: {
            apiKey: {
              type: "http",
              scheme: "bearer",
              description: "A key from API_KEYS or `nasvae keys create`",
            },
          },
        },
      },
      // Pages, the dashboard and the docs themselves are not part of the JSON API.
      hideUntagged: true,
      transformObject: (documents) =>
        "openapiObject" in documents
          ? publishDocument(documents.openapiObject as Record<string, unknown>, options)
          : documents.swaggerObject,
    });
    await app.register(swaggerUi, { routePrefix: DOCS_PATH, staticCSP: true });
  },
  { name: "openapi" },
);
