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
  const integerFields = part === "body" ? [] : integerProperties(schema);
  return (input: unknown) => {
    try {
      if (part !== "body") {
        // Conversion would read "1.5" as 1, "0x10" as 16 and "1e19" as a number Postgres cannot
        // take: an integer in a query or a path is decimal digits, nothing else.
        const bad = integerFields.filter((name) => {
          const raw = (input as Record<string, unknown> | undefined)?.[name];
          return raw !== undefined && !(typeof raw === "string" && /^-?[0-9]{1,16}$/.test(raw));
        });
        if (bad.length > 0) {
          return {
            error: new RequestValidationError(
              bad.map((name) => ({
                field: `${part}.${name}`,
                message: "must be an integer written in decimal digits",
              })),
            ),
          };
        }
      }
      const converted = part === "body" ? input : Value.Convert(schema, input);
      const value = Value.Default(schema, Value.Clone(converted));
      if (validator.Check(value)) {
        // PostgreSQL cannot store NUL in text or JSON: a 400, not a 500 from the INSERT.
        const nul = part === "body" ? pathOfNul(value, "") : null;
        if (nul !== null) {
          return {
            error: new RequestValidationError([
              { field: `${part}${nul}`, message: "must not contain the NUL character (\\u0000)" },
            ]),
          };
        }
        return { value };
      }
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

/** Top-level properties of an object schema that are integers (query and path parameters). */
function integerProperties(schema: TSchema): string[] {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> }).properties;
  if (!properties) return [];
  return Object.entries(properties)
    .filter(([, property]) => property.type === "integer")
    .map(([name]) => name);
}

/** The path (`.name`, `.a.b`) of the first string holding a NUL, keys included; null if none. */
function pathOfNul(value: unknown, path: string): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathOfNul(value[i], `${path}.${i}`);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("\u0000")) return `${path}.${key.replaceAll("\u0000", "\\u0000")}`;
      const found = pathOfNul(item, `${path}.${key}`);
      if (found !== null) return found;
    }
  }
  return null;
}
