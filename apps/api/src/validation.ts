import type { FastifySchemaCompiler } from "fastify";
import type { TSchema } from "typebox";
import { Compile } from "typebox/compile";
import type { TLocalizedValidationError } from "typebox/error";
import Value from "typebox/value";

/** A 400 whose message names every offending field, e.g. `body.budget.evaluations: must be <= 10000`. */
export class RequestValidationError extends Error {
  override name = "RequestValidationError";
  readonly statusCode = 400;
  readonly code = "FST_ERR_VALIDATION";

  constructor(readonly details: { field: string; message: string }[]) {
    super(details.map((d) => `${d.field}: ${d.message}`).join("; "));
  }
}

/**
 * Validates requests with TypeBox. The body is checked as sent (no type coercion: "5" is not a
 * number, unknown fields are rejected, not dropped); querystring and params are strings by
 * nature and are converted. Declared defaults are filled in.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const validator = Compile(schema);
  const part = httpPart ?? "body";
  return (input: unknown) => {
    try {
      const converted = part === "body" ? input : Value.Convert(schema, input);
      const value = Value.Default(schema, Value.Clone(converted));
      if (validator.Check(value)) return { value };
      return { error: new RequestValidationError(describe(part, [...validator.Errors(value)])) };
    } catch (error) {
      // Cloning and checking recurse: absurdly deep JSON overflows the stack. That is bad input.
      if (error instanceof RangeError) {
        return {
          error: new RequestValidationError([{ field: part, message: "is nested too deeply" }]),
        };
      }
      throw error;
    }
  };
};

function describe(part: string, errors: TLocalizedValidationError[]) {
  const details: { field: string; message: string }[] = [];
  const field = (path: string) => `${part}${path.replaceAll("/", ".")}`;
  for (const error of errors) {
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case "boolean": // `additionalProperties: false` reported per property; named below
      case "if": // marks the branch of a discriminated union; its own errors follow
        continue;
      case "additionalProperties":
        for (const name of params.additionalProperties as string[]) {
          details.push({ field: field(`${error.instancePath}/${name}`), message: "unknown field" });
        }
        continue;
      case "required":
        for (const name of params.requiredProperties as string[]) {
          details.push({ field: field(`${error.instancePath}/${name}`), message: "is required" });
        }
        continue;
      case "enum":
        details.push({
          field: field(error.instancePath),
          message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
        });
        continue;
      case "const":
        details.push({
          field: field(error.instancePath),
          message: `must be ${JSON.stringify(params.allowedValue)}`,
        });
        continue;
      default:
        details.push({ field: field(error.instancePath), message: error.message });
    }
  }
  return details.length > 0 ? details : [{ field: part, message: "is invalid" }];
}
