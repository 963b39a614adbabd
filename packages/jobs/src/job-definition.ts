import type { JobsOptions } from "bullmq";
import type { Static, TObject } from "typebox";
import Value from "typebox/value";
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

/** Validates job data on the consumer side; a malformed payload is never retried. */
export function parsePayload<Schema extends TObject>(
  definition: JobDefinition<Schema>,
  data: unknown,
): Static<Schema> {
  if (Value.Check(definition.payload, data)) return data as Static<Schema>;
  const problems = [...Value.Errors(definition.payload, data)]
    .map((error) => `${error.instancePath || "(root)"} ${error.message}`)
    .join("; ");
  throw new InvalidPayloadError(`invalid ${definition.name} payload: ${problems}`);
}
