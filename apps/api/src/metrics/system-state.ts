import { type CampaignStatus, countCampaignsByStatus, type Database } from "@nasvae/db";
import type { JobQueues } from "@nasvae/jobs";
import { Gauge, type Registry, withTimeout } from "@nasvae/metrics";

/**
 * Longest wait for each dependency during a scrape (Prometheus' default scrape timeout is 10 s).
 * A dependency that does not answer in time is reported down for this scrape.
 */
const SCRAPE_TIMEOUT_MS = 2000;

/** BullMQ job states counted per queue (BullMQ 5+ keeps paused jobs in `waiting`). */
const JOB_STATES = [
  "waiting",
  "prioritized",
  "delayed",
  "active",
  "waiting-children",
  "completed",
  "failed",
] as const;

/** States whose jobs wait for a consumer: the backlog autoscaling and alerts look at. */
const BACKLOG_STATES = ["waiting", "prioritized", "delayed"] as const;

interface QueueSnapshot {
  queue: string;
  counts: Record<string, number>;
  /** Undefined where Redis refuses CLIENT LIST (some managed services): left out, not 0. */
  workers: number | undefined;
}

/**
 * The state of the system as the API sees it, read at scrape time (nothing is polled between
 * scrapes): jobs per queue and state, consumers connected per queue, campaigns by status, and
 * whether Redis and Postgres answered. A dependency that is down is reported as
 * `nasvae_up{dependency} 0`, and its series are left out rather than shown stale.
 */
export class SystemState {
  private readonly up: Gauge<"dependency">;
  private readonly queueJobs: Gauge<"queue" | "state">;
  private readonly queueDepth: Gauge<"queue">;
  private readonly queueWorkers: Gauge<"queue">;
  private readonly campaigns: Gauge<"status">;
  private inFlight: Promise<void> | undefined;

  constructor(
    registry: Registry,
    private readonly sources: { db: Database; queues: JobQueues },
  ) {
    const registers = [registry];
    this.up = new Gauge({
      name: "nasvae_up",
      help: "1 if the dependency answered the API during this scrape, else 0.",
      labelNames: ["dependency"],
      registers,
    });
    this.queueJobs = new Gauge({
      name: "nasvae_queue_jobs",
      help: "Jobs in a BullMQ queue, by state (completed and failed: those still retained).",
      labelNames: ["queue", "state"],
      registers,
    });
    this.queueDepth = new Gauge({
      name: "nasvae_queue_depth",
      help: "Jobs waiting for a consumer: waiting + prioritized + delayed.",
      labelNames: ["queue"],
      registers,
    });
    this.queueWorkers = new Gauge({
      name: "nasvae_queue_workers",
      help: "Consumers (BullMQ workers) connected to a queue.",
      labelNames: ["queue"],
      registers,
    });
    this.campaigns = new Gauge({
      name: "nasvae_campaigns",
      help: "Campaigns by status.",
      labelNames: ["status"],
      registers,
    });
  }

  /**
   * Reads everything once and sets the gauges. Concurrent scrapes share one reading. Never
   * throws: a failure only marks its dependency down.
   */
  refresh(): Promise<void> {
    this.inFlight ??= this.read().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async read(): Promise<void> {
    const [queues, campaigns] = await Promise.allSettled([
      withTimeout(this.readQueues(), SCRAPE_TIMEOUT_MS, "queue counts"),
      withTimeout(this.readCampaigns(), SCRAPE_TIMEOUT_MS, "campaign counts"),
    ]);

    this.up.set({ dependency: "redis" }, queues.status === "fulfilled" ? 1 : 0);
    this.queueJobs.reset();
    this.queueDepth.reset();
    this.queueWorkers.reset();
    if (queues.status === "fulfilled") {
      for (const { queue, counts, workers } of queues.value) {
        for (const state of JOB_STATES) this.queueJobs.set({ queue, state }, counts[state] ?? 0);
        const depth = BACKLOG_STATES.reduce((sum, state) => sum + (counts[state] ?? 0), 0);
        this.queueDepth.set({ queue }, depth);
        if (workers !== undefined) this.queueWorkers.set({ queue }, workers);
      }
    }

    this.up.set({ dependency: "postgres" }, campaigns.status === "fulfilled" ? 1 : 0);
    this.campaigns.reset();
    if (campaigns.status === "fulfilled") {
      for (const [status, count] of Object.entries(campaigns.value)) {
        this.campaigns.set({ status }, count);
      }
    }
  }

  private readQueues(): Promise<QueueSnapshot[]> {
    return Promise.all(
      Object.values(this.sources.queues.byName).map(async (queue) => {
        const [counts, workers] = await Promise.all([
          queue.getJobCounts(...JOB_STATES),
          queue.getWorkersCount().catch(() => undefined),
        ]);
        return { queue: queue.name, counts, workers };
      }),
    );
  }

  /** One grouped query; every status is reported, 0 when no campaign has it. */
  private readCampaigns(): Promise<Record<CampaignStatus, number>> {
    return countCampaignsByStatus(this.sources.db);
  }
}
