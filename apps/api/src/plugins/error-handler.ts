import { STATUS_CODES } from "node:http";
import type { FastifyError } from "fastify";
import fp from "fastify-plugin";
import { RequestValidationError } from "../validation.ts";

/**
 * The one error handler: client errors (4xx) are answered with their message; anything else is
 * logged with the request id and answered with a generic 500 that leaks nothing.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
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
