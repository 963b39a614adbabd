import { Redis, type RedisOptions } from "ioredis";

export interface RedisConnectionOptions {
  /**
   * Blocking consumers (BullMQ workers) must wait for Redis forever rather than fail a command
   * after a few retries; producers (the API) should fail fast. Default: false.
   */
  forWorker?: boolean;
  /** Shown in `CLIENT LIST`, to tell the apps apart. */
  connectionName?: string;
}

/** An ioredis connection configured as BullMQ expects it. */
export function createRedisConnection(url: string, options: RedisConnectionOptions = {}): Redis {
  const redisOptions: RedisOptions = {
    // A producer's command waits through two reconnect attempts at most, then fails.
    maxRetriesPerRequest: options.forWorker ? null : 2,
    connectTimeout: 5000,
    ...(options.connectionName ? { connectionName: options.connectionName } : {}),
  };
  return new Redis(url, redisOptions);
}

/** host:port of a Redis URL, for error messages. */
export function redisAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || "6379"}`;
  } catch {
    return url;
  }
}
