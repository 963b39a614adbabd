import { seedApiKeys } from "@nasvae/db";
import type { FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { ApiKeyVerifier, MIN_KEY_LENGTH, type Principal } from "../auth/api-key-verifier.ts";
import { keyFromAuthorization } from "../auth/credentials.ts";
import { DASHBOARD_PATH } from "./bull-board.ts";
import { databaseAddress, databaseUnavailable } from "./error-handler.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The key's owner when the request carried a valid key; null otherwise. */
    principal: Principal | null;
  }
}

export interface AuthOptions {
  /** The API_KEYS setting, split. Each must be at least 16 characters. */
  keys: string[];
  /** Those of them marked `admin:` in API_KEYS: they may use the dashboard's actions. */
  adminKeys?: string[];
  /** `public`: reads need no key; `key`: every request but the probes and the pages needs one. */
  readAccess: "public" | "key";
  /** DATABASE_URL, named in the 503 when a key cannot be checked. */
  databaseUrl: string;
}

/** Always open: orchestrators probe these without credentials. */
const OPEN_PATHS = new Set(["/livez", "/readyz", "/healthz"]);
const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/**
 * The pages and their scripts (routes/pages.ts): they hold no data and ask the user for a key
 * themselves, so they load even with READ_ACCESS=key; everything they show comes from the API.
 */
const PAGE_ROUTES = new Set([
  "/",
  "/ui/campaigns",
  "/ui/campaigns/:id",
  "/ui/architectures/:id",
  "/ui/assets/:file",
]);

export class AuthConfigError extends Error {
  override name = "AuthConfigError";
}

/**
 * Access control, on by default: every write, and the dashboard, need a valid key sent as
 * `Authorization: Bearer KEY` (the dashboard also takes the key as a Basic-auth password, so a
 * browser can log in). Keys come from API_KEYS and from `nasvae keys create`.
 */
export default fp<AuthOptions>(
  async (app, options) => {
    const short = options.keys.findIndex((key) => key.length < MIN_KEY_LENGTH);
    if (short >= 0) {
      throw new AuthConfigError(
        `API_KEYS: key ${short} is shorter than ${MIN_KEY_LENGTH} characters; use \`nasvae keys create\` or \`openssl rand -hex 32\``,
      );
    }
    const verifier = new ApiKeyVerifier(app.db, {
      configuredKeys: options.keys,
      adminKeys: options.adminKeys ?? [],
    });
    const database = databaseAddress(options.databaseUrl);
    if (options.keys.length > 0) {
      // Listed by `nasvae keys list`, and revocable; the API still starts if Postgres is down.
      await seedApiKeys(app.db, options.keys, options.adminKeys ?? []).catch((error: Error) =>
        app.log.warn({ err: { message: error.message } }, "could not record API_KEYS in Postgres"),
      );
    } else {
      app.log.warn(
        "no API_KEYS configured: writes need a key made with `nasvae keys create` (see docs/access-control.md)",
      );
    }

    // Wrong keys count against the client address's rate limit (rate-limit.ts, registered
    // before this plugin): past it they get 429, and an address that got one has its next
    // unknown keys counted before any Postgres lookup, so guessing costs no query per try.
    const countRefusal = app.hasDecorator("rateLimit") ? app.rateLimit() : null;
    const refusedUntil = new Map<string, number>();
    async function countAgainstAddress(
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<void> {
      if (!countRefusal) return;
      try {
        await countRefusal.call(app, request, reply);
      } catch (error) {
        const retryAfter = Number(reply.getHeader("retry-after")) || 60;
        if (refusedUntil.size >= 10_000) refusedUntil.clear();
        refusedUntil.set(request.ip, Date.now() + retryAfter * 1000);
        throw error;
      }
    }

    app.decorateRequest("principal", null);
    app.addHook("onRequest", async (request, reply) => {
      // Decided on the route the router matched, never on the raw URL: `/%61dmin/queues/...` or
      // an absolute-form target (`GET http://host/admin/...`) reach the same route.
      const path = routePath(request);
      const dashboard = isDashboardRoute(path);
      const needsKey =
        dashboard ||
        !READ_METHODS.has(request.method) ||
        (options.readAccess === "key" && !OPEN_PATHS.has(path) && !PAGE_ROUTES.has(path));
      const key = keyFromAuthorization(request.headers.authorization);
      if (!key) {
        if (needsKey) return deny(reply, dashboard, "this request needs an API key");
        return;
      }
      if ((refusedUntil.get(request.ip) ?? 0) > Date.now() && !verifier.knownGood(key)) {
        await countAgainstAddress(request, reply);
      }
      let result: Awaited<ReturnType<ApiKeyVerifier["verify"]>>;
      try {
        result = await verifier.verify(key);
      } catch (error) {
        request.log.error({ err: error }, "could not check the API key");
        return databaseUnavailable(reply, database);
      }
      if (result.ok) {
        request.principal = result.principal;
        // The dashboard's actions (retry, clean, pause, empty, obliterate...) act on every
        // campaign's jobs: only admin keys may use them; any key may look.
        if (dashboard && !READ_METHODS.has(request.method) && !result.principal.admin) {
          return reply.code(403).send({
            statusCode: 403,
            error: "Forbidden",
            message:
              "the queue dashboard's actions need an admin key (`nasvae keys create --admin`, or an `admin:` entry of API_KEYS)",
          });
        }
        return;
      }
      // A bad key is refused even where none is needed: the client should learn it is wrong.
      request.log.info({ reason: result.reason }, "API key refused");
      await countAgainstAddress(request, reply);
      return deny(reply, dashboard, `the API key is not valid (${result.reason})`);
    });
  },
  { name: "auth", dependencies: ["database"] },
);

/**
 * The matched route's pattern (`/campaigns/:id`, `/admin/queues/api/queues`), or a marker that
 * matches nothing for a request no route answers (the 404 handler).
 */
export function routePath(request: FastifyRequest): string {
  return request.routeOptions.url ?? "(no route)";
}

export function isDashboardRoute(path: string): boolean {
  return path === DASHBOARD_PATH || path.startsWith(`${DASHBOARD_PATH}/`);
}

function deny(reply: FastifyReply, dashboard: boolean, why: string): FastifyReply {
  const hint = "send `Authorization: Bearer KEY` with a key from API_KEYS or `nasvae keys create`";
  return reply
    .code(401)
    .header(
      "www-authenticate",
      dashboard ? 'Basic realm="nasvae dashboard", charset="UTF-8"' : 'Bearer realm="nasvae"',
    )
    .send({ statusCode: 401, error: "Unauthorized", message: `${why}: ${hint}` });
}
