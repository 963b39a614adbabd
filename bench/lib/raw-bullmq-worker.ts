// The baseline of bench/load.ts: a BullMQ worker whose processor does nothing, run as its own
// process like an evaluation worker, so that the two are compared at the same worker count.
// Env: REDIS_URL, QUEUE_PREFIX, RAW_QUEUE, WORKER_CONCURRENCY.
import { createRedisConnection } from "@nasvae/jobs";
import { Worker } from "bullmq";

const connection = createRedisConnection(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
  forWorker: true,
  connectionName: "bench-raw-worker",
});
const worker = new Worker(process.env.RAW_QUEUE ?? "raw", async () => null, {
  connection,
  prefix: process.env.QUEUE_PREFIX ?? "bench",
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? "1"),
});
process.on("SIGTERM", () => {
  worker.close().then(() => {
    connection.disconnect();
    process.exit(0);
  });
});
