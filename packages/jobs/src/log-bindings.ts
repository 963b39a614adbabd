/** The ids a log line about a job carries, as pino bindings. */
export interface JobLogBindings {
  queue: string;
  jobId: string | undefined;
  campaignId?: string;
  roundId?: string;
  /** The round's index. */
  round?: number;
  trialId?: string;
}

/**
 * Picks the ids of a job of the catalogue from its data, for a child logger, so that every line
 * about a job names its campaign (and round and trial where it has them). Data that is not
 * well-formed yields what it can: a malformed job is still logged, with its jobId.
 */
export function jobLogBindings(job: {
  id?: string | undefined;
  queueName: string;
  data: unknown;
}): JobLogBindings {
  const bindings: JobLogBindings = { queue: job.queueName, jobId: job.id };
  const data = (typeof job.data === "object" && job.data !== null ? job.data : {}) as Record<
    string,
    unknown
  >;
  if (typeof data.campaignId === "string") bindings.campaignId = data.campaignId;
  if (typeof data.roundId === "string") bindings.roundId = data.roundId;
  if (typeof data.roundIndex === "number") bindings.round = data.roundIndex;
  if (typeof data.trialId === "string") bindings.trialId = data.trialId;
  return bindings;
}
