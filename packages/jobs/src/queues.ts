import { FlowProducer, Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Static, TObject } from "typebox";
import type { JobDefinition } from "./job-definition.ts";
import { type QueueName, queueNames } from "./queue-names.ts";

/** The queues and the flow producer of one deployment (one Redis, one prefix). */
export class JobQueues {
  readonly byName: Record<QueueName, Queue>;
  readonly flows: FlowProducer;

  /**
   * @param onError receives connection errors of every queue (Redis down, reconnecting);
   *   without it BullMQ prints each one to the console.
   */
  constructor(
    readonly connection: Redis,
    readonly prefix: string,
    onError: (error: Error) => void = () => {},
  ) {
    // Producers fail fast when Redis is down instead of waiting for it to come back.
    const failFast = { skipWaitingForReady: true };
    const make = (name: QueueName) => {
      const queue = new Queue(name, { connection, prefix, ...failFast });
      queue.on("error", onError);
      return queue;
    };
    this.byName = {
      campaigns: make(queueNames.campaigns),
      rounds: make(queueNames.rounds),
      evaluations: make(queueNames.evaluations),
    };
    this.flows = new FlowProducer({ connection, prefix, ...failFast });
    this.flows.on("error", onError);
  }

  /** Enqueues a job with its catalogue options and jobId; adding it twice yields one job. */
  async add<Schema extends TObject>(definition: JobDefinition<Schema>, payload: Static<Schema>) {
    return this.byName[definition.queue].add(definition.name, payload, {
      ...definition.options,
      jobId: definition.jobId(payload),
    });
  }

  async close(): Promise<void> {
    await Promise.all([...Object.values(this.byName).map((q) => q.close()), this.flows.close()]);
  }
}
