import type { Logger } from "@nasvae/config";
import { type Database, findCampaign, finishRound, markCampaignRunning } from "@nasvae/db";
import { type JobQueues, parsePayload, queueNames, roundJob, startCampaignJob } from "@nasvae/jobs";
import { type Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { RoundPlanner } from "./round-planner.ts";

export interface CoordinatorOptions {
  db: Database;
  queues: JobQueues;
  /** A connection for the BullMQ workers (maxRetriesPerRequest: null). */
  connection: Redis;
  log: Logger;
}

/**
 * Consumes the `campaigns` queue (start a campaign: plan round 0) and the `rounds` queue
 * (a round's evaluations have all finished: close it, plan the next). Postgres holds the state;
 * both processors can be repeated safely, so BullMQ's at-least-once delivery is enough.
 */
export class Coordinator {
  private readonly planner: RoundPlanner;
  private readonly workers: Worker[] = [];

  constructor(private readonly options: CoordinatorOptions) {
    this.planner = new RoundPlanner(options.db, options.queues, options.log);
  }

  start(): void {
    const { connection, queues, log } = this.options;
    // Model training yields to the event loop every few steps, so BullMQ renews job locks while
    // it runs; a longer lock than the default 30 s is a margin for the synchronous stretches in
    // between (a step, encoding the whole space) on a slow or busy machine.
    const common = { connection, prefix: queues.prefix, concurrency: 4, lockDuration: 2 * 60_000 };
    this.workers.push(
      new Worker(queueNames.campaigns, (job) => this.startCampaign(job), common),
      new Worker(queueNames.rounds, (job) => this.finishRound(job), common),
    );
    for (const worker of this.workers) {
      worker.on("failed", (job, error) =>
        log.error({ queue: worker.name, jobId: job?.id, err: error }, "coordinator job failed"),
      );
      worker.on("error", (error) => log.error({ queue: worker.name, err: error }, "worker error"));
    }
  }

  async startCampaign(job: Job): Promise<void> {
    const { campaignId } = parsePayload(startCampaignJob, job.data);
    const campaign = await findCampaign(this.options.db, campaignId);
    if (!campaign) {
      this.options.log.warn({ campaignId, jobId: job.id }, "campaign job for an unknown campaign");
      return;
    }
    if (await markCampaignRunning(this.options.db, campaignId)) {
      this.options.log.info({ campaignId, name: campaign.name }, "campaign running");
    }
    await this.planner.planFrom(campaignId, 0);
  }

  async finishRound(job: Job): Promise<void> {
    const { campaignId, roundId, roundIndex } = parsePayload(roundJob, job.data);
    // Children that failed for good: their job key ends with the trial's jobId, trial-<id>.
    const failures = new Map<string, string>();
    for (const [key, reason] of Object.entries(await job.getIgnoredChildrenFailures())) {
      const trialId = /trial-([0-9a-f-]{36})$/.exec(key)?.[1];
      if (trialId) failures.set(trialId, reason);
    }
    const round = await finishRound(this.options.db, roundId, failures);
    this.options.log.info(
      { campaignId, roundId, round: roundIndex, failed: failures.size, status: round.status },
      "round finished",
    );
    await this.planner.planFrom(campaignId, roundIndex + 1);
  }

  /** Stops taking jobs; running ones finish first (BullMQ's graceful close). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}
