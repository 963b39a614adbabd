import { STATUS_CODES } from "node:http";
import { isDatabaseUnavailable, parseDatabaseUrl } from "@nasvae/db";
import type { FastifyError, FastifyReply } from "fastify";
import fp from "fastify-plugin";
import { RequestValidationError } from "../validation.ts";

/** Seconds a client is asked to wait before retrying while PostgreSQL is unreachable. */
export const DATABASE_RETRY_AFTER_S = 5;

/**
 * The answer while PostgreSQL is unreachable: 503, Retry-After, and a body naming the database,
 * never a 500 (the request was fine; nothing was written). Also used by the auth hook.
 */
export function databaseUnavailable(reply: FastifyReply, address: string): FastifyReply {
  return reply
    .code(503)
    .header("retry-after", String(DATABASE_RETRY_AFTER_S))
    .send({
      statusCode: 503,
      error: "Service Unavailable",
      message: `the database (PostgreSQL at ${address}) is unreachable; nothing was changed, retry in ${DATABASE_RETRY_AFTER_S} s`,
      dependency: "postgres",
    });
}

/** host:port/database of DATABASE_URL, for the 503 above. */
export function databaseAddress(databaseUrl: string): string {
  const target = parseDatabaseUrl(databaseUrl);
  return `${target.address}/${target.database}`;
}

/**
 * The one error handler: client errors (4xx) are answered with their message; anything else is
 * logged with the request id and answered with a generic 500 that leaks nothing.
 */
export default fp<{ databaseUrl: string }>(
  async (app, options) => {
    const database = databaseAddress(options.databaseUrl);
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (isDatabaseUnavailable(error)) {
        request.log.warn({ err: { message: error.message } }, "PostgreSQL is unreachable");
        return databaseUnavailable(reply, database);
      }
      const statusCode =
        error.statusCode && error.statusCode >= 400 && error.statusCode < 600
          ? error.statusCode
          : 500;
      if (statusCode >= 500) {
        request.log.error({ err: error }, "request failed");
        return reply.code(statusCode).send({
          statusCode,
          error: statusCode === 503 ? "Service Unavailable" : "Internal Server Error",
          message: statusCode === 503 ? error.message : "internal error; see the API logs",
        });
      }
      request.log.info({ err: { message: error.message, code: error.code } }, "client error");
      return reply.code(statusCode).send({
        statusCode,
        error: STATUS_CODES[statusCode] ?? "Bad Request",
        message: error.message,
        ...(error instanceof RequestValidationError ? { details: error.details } : {}),
      });
    });
    app.setNotFoundHandler((request, reply) =>
      reply.code(404).send({
        statusCode: 404,
        error: "Not Found",
        message: `no route for ${request.method} ${request.url}`,
      }),
    );
  },
  { name: "error-handler" },
);
