import type { JobsOptions } from "bullmq";
import type { Static, TObject } from "typebox";
import { Compile, type Validator } from "typebox/compile";
import type { QueueName } from "./queue-names.ts";

/** Thrown by `parsePayload` when a job's data does not match its schema. */
export class InvalidPayloadError extends Error {
  override name = "InvalidPayloadError";
}

/**
 * One entry of the job catalogue: everything producer and consumer must agree on.
 * The jobId rule makes enqueueing idempotent: adding the same work twice yields one job.
 */
export interface JobDefinition<Schema extends TObject> {
  queue: QueueName;
  name: string;
  payload: Schema;
  jobId(payload: Static<Schema>): string;
  /** Retry policy and retention. */
  options: JobsOptions;
}

export function defineJob<Schema extends TObject>(
  definition: JobDefinition<Schema>,
): JobDefinition<Schema> {
  return definition;
}

/** Each payload schema compiled once, on first use: checking is then a generated function. */
const validators = new WeakMap<TObject, Validator>();

function validatorOf(schema: TObject): Validator {
  let validator = validators.get(schema);
  if (!validator) {
    validator = Compile(schema) as unknown as Validator;
    validators.set(schema, validator);
  }
  return validator;
}

/** Validates job data on the consumer side; a malformed payload is never retried. */
export function parsePayload<Schema extends TObject>(
  definition: JobDefinition<Schema>,
  data: unknown,
): Static<Schema> {
  const validator = validatorOf(definition.payload);
  if (validator.Check(data)) return data as Static<Schema>;
  const problems = validator
    .Errors(data)
    .map((error) => `${error.instancePath || "(root)"} ${error.message}`)
    .join("; ");
  throw new InvalidPayloadError(`invalid ${definition.name} payload: ${problems}`);
}
