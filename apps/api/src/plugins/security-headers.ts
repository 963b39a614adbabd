import fp from "fastify-plugin";
import { isDashboardRoute, routePath } from "./auth.ts";

/** JSON, text and metrics: nothing in them may load or run anything. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The campaign pages: their own scripts, styles and API calls only. */
const PAGES_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

/**
 * bull-board: its scripts and styles are served by the API under /admin/queues/static; its HTML
 * carries inline styles and a `<base>`. Its web font from fonts.googleapis.com is blocked (and
 * the link dropped below): the dashboard falls back to the system fonts.
 */
const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

const EXTERNAL_FONT = /<link[^>]+href="https:\/\/fonts\.googleapis\.com[^>]*>\s*/g;

/**
 * Security headers on every answer: no MIME sniffing, no framing (X-Frame-Options and CSP
 * frame-ancestors), no referrer, and a Content-Security-Policy fitted to what is answered
 * (routes that set their own, such as the Swagger UI, keep it).
 */
export default fp(
  async (app) => {
    app.addHook("onSend", async (request, reply, payload) => {
      reply.header("x-content-type-options", "nosniff");
      reply.header("x-frame-options", "DENY");
      reply.header("referrer-policy", "no-referrer");
      const dashboard = isDashboardRoute(routePath(request));
      const html = /text\/html/.test(String(reply.getHeader("content-type") ?? ""));
      if (!reply.hasHeader("content-security-policy")) {
        reply.header(
          "content-security-policy",
          dashboard ? DASHBOARD_CSP : html ? PAGES_CSP : API_CSP,
        );
      }
      if (dashboard && html && typeof payload === "string") {
        return payload.replace(EXTERNAL_FONT, "");
      }
      return payload;
    });
  },
  { name: "security-headers" },
);
