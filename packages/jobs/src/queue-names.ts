/** The three queues of the system; each has one consumer app. */
export const queueNames = {
  /** New campaigns, consumed by the coordinator. */
  campaigns: "campaigns",
  /** Round parents: run by the coordinator when all of a round's evaluations have finished. */
  rounds: "rounds",
  /** Child-network evaluations, consumed by the worker pool. */
  evaluations: "evaluations",
} as const;

export type QueueName = (typeof queueNames)[keyof typeof queueNames];
