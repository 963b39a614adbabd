import type { Logger } from "@nasvae/config";
import { closeRound, type Database, findCampaign, startQueuedCampaign } from "@nasvae/db";
import {
  type JobQueues,
  jobLogBindings,
  parsePayload,
  queueNames,
  resumeCampaignJob,
  roundJob,
  startCampaignJob,
} from "@nasvae/jobs";
import { type Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { resumeCampaign } from "./campaign-resume.ts";
import { JobGuard } from "./job-guard.ts";
import { CoordinatorMetrics } from "./metrics.ts";
import { outcomeOf } from "./round-outcome.ts";
import { RoundPlanner } from "./round-planner.ts";

export interface CoordinatorOptions {
  db: Database;
  queues: JobQueues;
  /** A connection for the BullMQ workers (maxRetriesPerRequest: null). */
  connection: Redis;
  log: Logger;
  /** Where its round and predictor metrics go. Default: a registry of its own. */
  metrics?: CoordinatorMetrics;
  /**
   * Reliability settings (docs/reliability.md): how long a job retries while Postgres is
   * unreachable before it is postponed (default 5 min); BullMQ's job lock (default 2 min),
   * stalled-job check (default 30 s) and how often a job may be recovered from a dead
   * coordinator (default 3).
   */
  databaseRetryTimeoutMs?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  maxStalledCount?: number;
}

/**
 * Consumes the `campaigns` queue (start a campaign: plan round 0) and the `rounds` queue
 * (a round's evaluations have all finished: close it, plan the next). Postgres holds the state;
 * both processors can be repeated safely, so BullMQ's at-least-once delivery is enough.
 */
export class Coordinator {
  readonly metrics: CoordinatorMetrics;
  private readonly planner: RoundPlanner;
  private readonly workers: Worker[] = [];
  /** Runs every job through Postgres outages; knows which campaigns have a job running here. */
  readonly guard: JobGuard;

  constructor(private readonly options: CoordinatorOptions) {
    this.metrics = options.metrics ?? new CoordinatorMetrics();
    this.guard = new JobGuard({
      timeoutMs: options.databaseRetryTimeoutMs ?? 300_000,
      log: options.log,
    });
    this.planner = new RoundPlanner(options.db, options.queues, this.metrics);
  }

  start(): void {
    const { connection, queues, log } = this.options;
    // Model training yields to the event loop every few steps, so BullMQ renews job locks while
    // it runs; a longer lock than the default 30 s is a margin for the synchronous stretches in
    // between (a step, encoding the whole space) on a slow or busy machine.
    const common = {
      connection,
      prefix: queues.prefix,
      concurrency: 4,
      lockDuration: this.options.lockDurationMs ?? 2 * 60_000,
      stalledInterval: this.options.stalledIntervalMs ?? 30_000,
      maxStalledCount: this.options.maxStalledCount ?? 3,
    };
    // Postgres unreachable: the job is run again in place, then postponed (job-guard.ts).
    const guarded = (processor: (job: Job) => Promise<void>) => (job: Job, token?: string) =>
      this.guard.run(job, token, () => processor(job));
    this.workers.push(
      new Worker(
        queueNames.campaigns,
        guarded((job) =>
          job.name === resumeCampaignJob.name ? this.resumeCampaign(job) : this.startCampaign(job),
        ),
        common,
      ),
      new Worker(
        queueNames.rounds,
        guarded((job) => this.finishRound(job)),
        common,
      ),
    );
    for (const worker of this.workers) {
      worker.on("failed", (job, error) =>
        log.error(
          { ...(job ? jobLogBindings(job) : { queue: worker.name }), err: error },
          "coordinator job failed",
        ),
      );
      worker.on("error", (error) => log.error({ queue: worker.name, err: error }, "worker error"));
    }
  }

  async startCampaign(job: Job): Promise<void> {
    const { campaignId } = parsePayload(startCampaignJob, job.data);
    // Every line about this job, the planner's included, names the job and the campaign.
    const log = this.options.log.child(jobLogBindings(job));
    // queued -> running, returning the row the planner starts from; the campaign is read only
    // when it was not queued (a redelivered job, or one whose campaign was deleted).
    const started = await startQueuedCampaign(this.options.db, campaignId);
    if (started) {
      log.info({ name: started.campaign.name }, "campaign running");
    } else if (!(await findCampaign(this.options.db, campaignId))) {
      log.warn("campaign job for an unknown campaign");
      return;
    }
    await this.planner.planFrom(
      campaignId,
      0,
      log,
      started?.campaign,
      // Without any round written there is no round 0 to look for.
      started ? !started.hasRounds : false,
    );
  }

  /** A resumed campaign (POST /campaigns/:id/resume): plan again where it stopped. */
  async resumeCampaign(job: Job): Promise<void> {
    const { campaignId } = parsePayload(resumeCampaignJob, job.data);
    const { db, queues } = this.options;
    await resumeCampaign(
      { db, queues, planner: this.planner },
      campaignId,
      this.options.log.child(jobLogBindings(job)),
    );
  }

  async finishRound(job: Job): Promise<void> {
    const { campaignId, roundId, roundIndex } = parsePayload(roundJob, job.data);
    const { db } = this.options;
    const log = this.options.log.child(jobLogBindings(job)); // with roundId and round
    // Children that failed for good: their job key ends with the trial's jobId, trial-<id>.
    const failures = new Map<string, string>();
    for (const [key, reason] of Object.entries(await job.getIgnoredChildrenFailures())) {
      const trialId = /trial-([0-9a-f-]{36})$/.exec(key)?.[1];
      if (trialId) failures.set(trialId, reason);
    }
    // A redelivered job finds the round closed already: it is measured once, on its first close.
    const closed = await closeRound(db, roundId, failures);
    if (!closed) throw new Error(`round ${roundId} does not exist`);
    const { round, wasRunning, predictionErrors, campaignCompleted } = closed;
    const outcome = wasRunning ? outcomeOf(round, predictionErrors) : undefined;
    if (outcome) this.metrics.observeRound(round.strategy, outcome);
    log.info(
      {
        failed: failures.size,
        status: round.status,
        ...(outcome
          ? {
              durationMs: Math.round(outcome.durationSeconds * 1000),
              predictorMeanAbsoluteError: outcome.meanAbsoluteError,
            }
          : {}),
      },
      "round finished",
    );
    if (campaignCompleted) {
      // Its budget is spent: the same statement ended it, and there is no next round to plan.
      this.metrics.campaignsFinished.inc({ status: "completed" });
      log.info({ status: "completed" }, "campaign completed");
      return;
    }
    // The next round's lines carry its own index, not this one's.
    const planLog = this.options.log.child({ queue: job.queueName, jobId: job.id, campaignId });
    await this.planner.planFrom(campaignId, roundIndex + 1, planLog);
  }

  /** Stops taking jobs; running ones finish first (BullMQ's graceful close). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}
