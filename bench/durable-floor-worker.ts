// The durable floor of bench/load.ts: a BullMQ worker whose processor commits one result row
// to Postgres (`INSERT … ON CONFLICT DO NOTHING` into the evaluations table) and does nothing
// else. Run as its own process, as many of them and at the same concurrency as the evaluation
// workers, on the same Redis and Postgres: what any job that records a result durably costs.
// Env: DATABASE_URL (with ?schema=), REDIS_URL, QUEUE_PREFIX, FLOOR_QUEUE, WORKER_CONCURRENCY.
import { parseDatabaseUrl, quoteIdentifier } from "@nasvae/db";
import { createRedisConnection } from "@nasvae/jobs";
import { type Job, Worker } from "bullmq";
import pg from "pg";

export interface FloorJob {
  architectureId: string;
  evaluatorFingerprint: string;
}

const concurrency = Number(process.env.WORKER_CONCURRENCY ?? "1");
const target = parseDatabaseUrl(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1/test");
const pool = new pg.Pool({
  connectionString: target.connectionString,
  max: concurrency,
  options: `-c search_path=${quoteIdentifier(target.schema)}`,
});
const connection = createRedisConnection(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
  forWorker: true,
  connectionName: "bench-durable-floor-worker",
});

const worker = new Worker(
  process.env.FLOOR_QUEUE ?? "floor",
  async (job: Job<FloorJob>) => {
    await pool.query(
      `INSERT INTO evaluations (architecture_id, evaluator_fingerprint, evaluator,
         validation_accuracy, test_accuracy, flops, params, worker, duration_ms)
       VALUES ($1, $2, '{"kind":"durable-floor"}', 90.5, 90.1, 1e8, 1e6, 'floor', 1)
       ON CONFLICT DO NOTHING`,
      [job.data.architectureId, job.data.evaluatorFingerprint],
    );
    return null;
  },
  { connection, prefix: process.env.QUEUE_PREFIX ?? "bench", concurrency },
);
process.on("SIGTERM", () => {
  worker.close().then(async () => {
    connection.disconnect();
    await pool.end();
    process.exit(0);
  });
});
