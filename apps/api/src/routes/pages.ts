import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { ErrorResponse } from "@nasvae/contracts";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import Type, { type Static } from "typebox";

const UI_DIR = new URL("../ui/", import.meta.url);

/** The pages' own files; nothing else under ui/ is served, and no path is built from the URL. */
const ASSETS = ["pages.js", "plots.js", "style.css", "favicon.svg"] as const;

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

/**
 * Scripts, styles and images only from this origin; no inline script. The pages build their
 * DOM with textContent, so a campaign name can never become markup; this is the second lock.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function load(name: string): { body: Buffer; type: string } {
  const type = CONTENT_TYPES[extname(name)];
  if (!type) throw new Error(`no content type for ui/${name}`);
  return { body: readFileSync(new URL(name, UI_DIR)), type };
}

const Html = {
  description: "an HTML page",
  content: { "text/html": { schema: Type.String() } },
};

/**
 * The campaign pages: GET / redirects to the list, /ui/campaigns lists campaigns,
 * /ui/campaigns/:id shows one and /ui/architectures/:id one architecture with its evaluations;
 * all draw from the JSON API in the browser (see docs/ui.md).
 * Files are read once, at start.
 */
export const pageRoutes: FastifyPluginAsync = async (app) => {
  const pages = {
    list: load("campaigns.html"),
    campaign: load("campaign.html"),
    architecture: load("architecture.html"),
  };
  const assets = new Map(ASSETS.map((name) => [name, load(name)]));

  const send = (reply: FastifyReply, file: { body: Buffer; type: string }) =>
    reply
      .header("content-type", file.type)
      .header("cache-control", "no-cache")
      .header("x-content-type-options", "nosniff")
      .header("content-security-policy", CONTENT_SECURITY_POLICY)
      .send(file.body);

  app.get(
    "/",
    {
      schema: {
        summary: "Redirects to the campaigns page",
        tags: ["ui"],
        hide: true,
        response: { 302: Type.Null({ description: "to /ui/campaigns" }) },
      },
    },
    (_request, reply) => reply.redirect("/ui/campaigns"),
  );

  app.get(
    "/ui/campaigns",
    {
      schema: {
        summary: "The campaigns page: every campaign, its status and progress, live",
        tags: ["ui"],
        hide: true,
        response: { 200: Html },
      },
    },
    (_request, reply) => send(reply, pages.list),
  );

  app.get<{ Params: { id: string } }>(
    "/ui/campaigns/:id",
    {
      schema: {
        summary: "A campaign's page: progress, rounds, plots and best cell, live",
        tags: ["ui"],
        hide: true,
        params: Type.Object({ id: Type.String() }),
        response: { 200: Html },
      },
    },
    // The page itself asks the API for the campaign and says so if there is none.
    (_request, reply) => send(reply, pages.campaign),
  );

  app.get<{ Params: { id: string } }>(
    "/ui/architectures/:id",
    {
      schema: {
        summary: "An architecture's page: its cell, its evaluations and their learning curves",
        tags: ["ui"],
        hide: true,
        params: Type.Object({ id: Type.String() }),
        response: { 200: Html },
      },
    },
    // As for campaigns: the page asks GET /architectures/:id and says so if there is none.
    (_request, reply) => send(reply, pages.architecture),
  );

  const AssetParams = Type.Object({ file: Type.String() });
  app.get<{ Params: Static<typeof AssetParams> }>(
    "/ui/assets/:file",
    {
      schema: {
        summary: "The pages' scripts, style sheet and icon",
        tags: ["ui"],
        hide: true,
        params: AssetParams,
        response: {
          200: {
            description: "the file",
            content: Object.fromEntries(
              ["text/javascript", "text/css", "image/svg+xml"].map((type) => [
                type,
                { schema: Type.String() },
              ]),
            ),
          },
          404: ErrorResponse,
        },
      },
    },
    (request, reply) => {
      const file = assets.get(request.params.file as (typeof ASSETS)[number]);
      if (!file) {
        return reply.code(404).send({
          statusCode: 404,
          error: "Not Found",
          message: `no file ${request.params.file}`,
        });
      }
      return send(reply, file);
    },
  );
};
