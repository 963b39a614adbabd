// Test support: every test gets its own queue prefix on the local Redis, deleted afterwards.
import { randomBytes } from "node:crypto";
import { QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { createRedisConnection } from "./connection.ts";
import { JobQueues } from "./queues.ts";

export const testRedisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export interface TestQueues {
  prefix: string;
  redisUrl: string;
  connection: Redis;
  queues: JobQueues;
  /**
   * A ready QueueEvents for one queue, on a connection of its own (it blocks on it; BullMQ never
   * closes a connection it was given, and one left open keeps the test process alive): cleanup()
   * closes both.
   */
  queueEvents(queue: string): Promise<QueueEvents>;
  /** Closes the queues and event listeners and deletes every key under the prefix. */
  cleanup(): Promise<void>;
}

/** `redisUrl`: another Redis than the shared one (e.g. one a fault test kills). */
export async function createTestQueues(
  label = "test",
  redisUrl = testRedisUrl,
): Promise<TestQueues> {
  const prefix = `${label}-${randomBytes(4).toString("hex")}`;
  const connection = createRedisConnection(redisUrl, { forWorker: true });
  const queues = new JobQueues(connection, prefix);
  const listeners: { events: QueueEvents; connection: Redis }[] = [];
  return {
    prefix,
    redisUrl,
    connection,
    queues,
    async queueEvents(queue) {
      const eventsConnection = connection.duplicate();
      const events = new QueueEvents(queue, { connection: eventsConnection, prefix });
      listeners.push({ events, connection: eventsConnection });
      await events.waitUntilReady();
      return events;
    },
    async cleanup() {
      for (const listener of listeners.splice(0)) {
        await listener.events.close();
        listener.connection.disconnect();
      }
      await queues.close();
      await deleteKeys(connection, `${prefix}:*`);
      connection.disconnect();
    },
  };
}

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
}
