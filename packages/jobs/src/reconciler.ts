// Postgres is the source of truth; Redis only carries the work in flight. When Redis loses it
// (a restart without persistence, a failover to an empty replica, a flush), the reconciler
// rebuilds it from Postgres: every campaign that should be moving gets back the job that moves it.
// The coordinator runs it (apps/coordinator/src/main.ts); it lives here, beside the job catalogue
// and the round flows it re-enqueues, so that bench/reconciler.ts can time it without reaching
// into an app.
import type { Logger } from "@nasvae/config";
import {
  type CampaignObservation,
  type Database,
  listActiveCampaignIds,
  observeCampaigns,
} from "@nasvae/db";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Static, TObject } from "typebox";
import { evaluateJob, roundJob, startCampaignJob } from "./catalogue.ts";
import type { JobDefinition } from "./job-definition.ts";
import type { JobQueues } from "./queues.ts";
import { evaluatePayload, roundFlow, roundPayload } from "./round-flow.ts";

/** Campaigns read and checked together: three Postgres queries and one Redis pipeline. */
export const CAMPAIGNS_PER_BATCH = 500;
/** Commands in one Redis pipeline at most (its replies stay a few MB). */
export const COMMANDS_PER_PIPELINE = 50_000;

export interface ReconcilerOptions {
  db: Database;
  queues: JobQueues;
  log: Logger;
  /** Time between periodic passes; 0: only at start and when Redis comes back. */
  intervalMs: number;
  /** True while a job of this campaign runs in this process: the pass leaves it alone. */
  isBusy?: (campaignId: string) => boolean;
  /** Where each pass's repairs and duration are counted (the coordinator's /metrics). */
  metrics?: ReconcileObserver;
}

/** Told of each pass (the coordinator's metrics). */
export interface ReconcileObserver {
  observeReconcile(report: ReconcileReport, seconds: number): void;
}

/** What one pass found and did. */
export interface ReconcileReport {
  /** Campaigns looked at (queued or running). */
  campaigns: number;
  /** Jobs enqueued again, by kind. */
  added: { campaign: number; round: number; evaluate: number };
  /** Jobs that had failed for good and were retried. */
  retried: number;
  /** Campaigns left for the next pass (busy here, changed under the pass, or not yet sure). */
  deferred: number;
}

/**
 * A job's state as the reconciler needs it: `queued` is waiting, delayed, prioritized or active
 * (it exists and will run or runs); `unknown`: no such job.
 */
type ProbedState = "completed" | "failed" | "waiting-children" | "queued" | "unknown";

/** A campaign as the pass sees it in Postgres: its status and its latest round. */
type Observation = CampaignObservation;

/** One repair, decided from Redis and applied once Postgres confirmed it is still needed. */
interface Repair {
  what: string;
  /**
   * The job exists but finished while the campaign still waits for it: this can also be a
   * moment between two steps, so it is repaired only when a second pass sees the same.
   */
  unsure?: boolean;
  apply(report: ReconcileReport): Promise<void>;
}

/**
 * For every campaign in status queued or running (paused, cancelled and ended ones are left
 * alone), makes sure that the job which moves it forward exists in Redis, and re-enqueues it
 * under its catalogue jobId when it does not, so that enqueueing stays idempotent:
 *
 * - a queued campaign, or a running one with no round yet: its start job `campaign-<id>`;
 * - a running campaign whose latest round is running: that round's job with the evaluate jobs
 *   of its pending trials as children (the whole flow again when the round job is gone, only
 *   the missing children when it still waits for them). Trials already completed are in
 *   Postgres and get no job; a job that runs twice anyway (its old copy was still running) is
 *   answered by the worker's dedup, so each result is recorded once;
 * - a running campaign whose latest round is closed: that round's job alone, which closes
 *   nothing more and plans the next round.
 *
 * A job that failed for good (every attempt spent, e.g. on a long outage) is retried. Passes run
 * at start, every `intervalMs`, and whenever the Redis connection becomes ready again; they never
 * overlap. Every step is safe to repeat and to race with the coordinator's own jobs.
 */
export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private triggered = false;
  private closed = false;
  private connection: Redis | undefined;
  /** Campaigns for which the last pass found an unsure repair: repaired if seen again. */
  private suspects = new Map<string, string>();
  private readonly onReady = () => this.trigger("redis ready");

  constructor(private readonly options: ReconcilerOptions) {}

  /** A first pass now, then periodic ones and one each time `connection` is ready again. */
  start(connection?: Redis): void {
    this.trigger("start");
    if (this.options.intervalMs > 0) {
      this.timer = setInterval(() => this.trigger("interval"), this.options.intervalMs);
      this.timer.unref();
    }
    this.connection = connection;
    connection?.on("ready", this.onReady);
  }

  /** Asks for a pass; one asked while another waits is the same pass. */
  trigger(reason: string): void {
    if (this.closed || this.triggered) return;
    this.triggered = true;
    this.reconcile(reason).catch((error: unknown) =>
      this.options.log.warn({ err: error, reason }, "reconcile pass failed; retried later"),
    );
  }

  /** Runs one pass, after the one running now if any. */
  reconcile(reason = "requested"): Promise<ReconcileReport> {
    const run = this.chain.then(() => {
      this.triggered = false;
      return this.pass(reason);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Stops the passes; waits a little for the running one. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.connection?.off("ready", this.onReady);
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      this.chain,
      new Promise((resolve) => {
        timeout = setTimeout(resolve, 2000);
      }),
    ]);
    clearTimeout(timeout);
  }

  private async pass(reason: string): Promise<ReconcileReport> {
    const { db, log } = this.options;
    const started = performance.now();
    const report: ReconcileReport = {
      campaigns: 0,
      added: { campaign: 0, round: 0, evaluate: 0 },
      retried: 0,
      deferred: 0,
    };
    const campaigns = await listActiveCampaignIds(db);
    const seen = new Set<string>();
    for (let i = 0; i < campaigns.length && !this.closed; i += CAMPAIGNS_PER_BATCH) {
      const batch: string[] = [];
      for (const id of campaigns.slice(i, i + CAMPAIGNS_PER_BATCH)) {
        report.campaigns += 1;
        seen.add(id);
        if (this.options.isBusy?.(id)) report.deferred += 1;
        else batch.push(id);
      }
      try {
        await this.reconcileBatch(batch, report);
      } catch (error) {
        report.deferred += batch.length;
        log.warn(
          { err: error, campaigns: batch.length },
          "could not reconcile a batch of campaigns; retried later",
        );
      }
    }
    for (const id of this.suspects.keys()) if (!seen.has(id)) this.suspects.delete(id);
    this.options.metrics?.observeReconcile(report, (performance.now() - started) / 1000);
    const changed = report.added.campaign + report.added.round + report.added.evaluate;
    if (changed + report.retried > 0) {
      log.warn({ reason, ...report }, "reconciler re-enqueued work missing from Redis");
    } else {
      log.debug({ reason, ...report }, "reconciled: nothing missing");
    }
    return report;
  }

  /**
   * One batch of campaigns: read from Postgres in three queries, checked against Redis in one
   * pipeline (or a few, for very many pending trials); only the campaigns that lack something are
   * read again and repaired, each repair in one or two round trips whatever its number of jobs.
   */
  private async reconcileBatch(campaignIds: string[], report: ReconcileReport): Promise<void> {
    if (campaignIds.length === 0) return;
    const before = (await this.observe(campaignIds)).filter((observation) =>
      ["queued", "running"].includes(observation.campaign.status),
    );
    const repairs = await this.decide(before);
    const wanted = before.filter((_, i) => repairs[i] !== null);
    for (const observation of before) {
      if (repairs[before.indexOf(observation)] === null) {
        this.suspects.delete(observation.campaign.id);
      }
    }
    if (wanted.length === 0) return;
    // Redis was read after Postgres: if Postgres has not moved meanwhile, what Redis lacks is
    // really missing (the coordinator writes Postgres before it enqueues or completes a job).
    const after = new Map(
      (await this.observe(wanted.map((o) => o.campaign.id))).map((o) => [o.campaign.id, o]),
    );
    for (const observation of wanted) {
      const campaignId = observation.campaign.id;
      const repair = repairs[before.indexOf(observation)];
      if (!repair) continue;
      const now = after.get(campaignId);
      if (
        !now ||
        fingerprint(now) !== fingerprint(observation) ||
        this.options.isBusy?.(campaignId)
      ) {
        report.deferred += 1;
        continue;
      }
      if (repair.unsure && this.suspects.get(campaignId) !== repair.what) {
        this.suspects.set(campaignId, repair.what);
        report.deferred += 1;
        continue;
      }
      this.suspects.delete(campaignId);
      try {
        await repair.apply(report);
      } catch (error) {
        report.deferred += 1;
        this.options.log.warn(
          { err: error, campaignId },
          "could not reconcile campaign; retried later",
        );
        continue;
      }
      this.options.log.info(
        { campaignId, round: observation.round?.index ?? null, repair: repair.what },
        "reconciler repaired campaign",
      );
    }
  }

  /** The campaigns as Postgres has them now (packages/db: three queries for the batch). */
  private observe(campaignIds: string[]): Promise<Observation[]> {
    return observeCampaigns(this.options.db, campaignIds);
  }

  /**
   * What each campaign lacks in Redis, if anything (null: nothing). Every job state it needs is
   * read in one pipeline for the whole batch.
   */
  private async decide(observations: Observation[]): Promise<(Repair | null)[]> {
    const { campaigns, rounds, evaluations } = this.options.queues.byName;
    const probe = new JobProbe(this.options.queues.connection);
    const plans = observations.map(({ campaign, round }) => {
      if (campaign.status === "queued" || !round) {
        const payload = { campaignId: campaign.id };
        const jobId = startCampaignJob.jobId(payload);
        return { kind: "campaign" as const, state: probe.add(campaigns, jobId), jobId, payload };
      }
      const payload = roundPayload(campaign, round);
      const jobId = roundJob.jobId(payload);
      if (round.status !== "running") {
        // Closed: its job plans the next round; without it, nobody would.
        return { kind: "round" as const, state: probe.add(rounds, jobId), jobId, payload };
      }
      const children = round.pending.map((trial) =>
        probe.add(evaluations, `trial-${trial.id}`, "child"),
      );
      const state = probe.add(rounds, jobId);
      return { kind: "flow" as const, state, jobId, payload, children };
    });
    const states = await probe.run();

    return plans.map((plan, i) => {
      const observation = observations[i];
      if (!observation) return null;
      const state = states[plan.state] ?? "unknown";
      if (plan.kind === "campaign") {
        return this.ensureSingle(startCampaignJob, plan.payload, plan.jobId, state, "campaign");
      }
      if (plan.kind === "round") {
        return this.ensureSingle(roundJob, plan.payload, plan.jobId, state, "round");
      }
      const { campaign } = observation;
      const round = observation.round;
      if (!round) return null;
      const childState = (j: number): ProbedState => states[plan.children[j] ?? -1] ?? "unknown";
      if (state === "failed") return this.retry(rounds, plan.jobId, "round");
      if (state === "unknown" || state === "completed") {
        // The flow is gone (or finished with the round still open): build it again from the
        // pending trials. Children whose job failed for good stay out; the round marks them failed.
        const children = round.pending.filter((_, j) => childState(j) !== "failed");
        const missing = round.pending.filter((_, j) => childState(j) === "unknown").length;
        return {
          what: `round ${round.index} flow (${children.length} evaluate jobs)`,
          unsure: state === "completed",
          apply: async (report: ReconcileReport) => {
            if (state === "completed") await rounds.remove(plan.jobId, { removeChildren: false });
            await this.options.queues.flows.add(roundFlow(campaign, round, children));
            report.added.round += 1;
            report.added.evaluate += missing;
          },
        };
      }
      if (state !== "waiting-children") return null; // waiting, active or delayed: it runs
      // The round waits for its children: each pending trial needs its evaluate job.
      const missing = round.pending.filter((_, j) => childState(j) === "unknown");
      if (missing.length === 0) return null;
      return {
        what: `${missing.length} evaluate jobs of round ${round.index}`,
        apply: async (report: ReconcileReport) => {
          // One MULTI for all of them, however many they are.
          await evaluations.addBulk(
            missing.map((trial) => {
              const data = evaluatePayload(campaign, round, trial);
              return {
                name: evaluateJob.name,
                data,
                opts: {
                  ...evaluateJob.options,
                  jobId: evaluateJob.jobId(data),
                  parent: { id: plan.jobId, queue: rounds.qualifiedName },
                },
              };
            }),
          );
          report.added.evaluate += missing.length;
        },
      };
    });
  }

  /** A job with no children: added when missing, retried when failed for good. */
  private ensureSingle<Schema extends TObject>(
    definition: JobDefinition<Schema>,
    payload: Static<Schema>,
    jobId: string,
    state: ProbedState,
    kind: "campaign" | "round",
  ): Repair | null {
    const queue = this.options.queues.byName[definition.queue];
    if (state === "failed") return this.retry(queue, jobId, kind);
    if (state !== "unknown" && state !== "completed") return null; // it runs or will
    return {
      what: `${kind} job ${jobId}`,
      unsure: state === "completed",
      apply: async (report) => {
        if (state === "completed") await queue.remove(jobId);
        await this.options.queues.add(definition, payload);
        report.added[kind] += 1;
      },
    };
  }

  private retry(queue: Queue, jobId: string, kind: "campaign" | "round"): Repair {
    return {
      what: `retry failed ${kind} job ${jobId}`,
      apply: async (report) => {
        const job = await queue.getJob(jobId);
        await job?.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
        report.retried += 1;
      },
    };
  }
}

function fingerprint({ campaign, round }: Observation): string {
  if (!round) return campaign.status;
  const pending = round.pending.map((trial) => trial.id).join(",");
  return `${campaign.status}|${round.index}|${round.status}|${pending}`;
}

/**
 * Reads the states of many jobs in few round trips: pipelines of O(1) commands, ZSCORE in the
 * queue's completed, failed and waiting-children sets and EXISTS of the job's hash. (BullMQ's
 * getJobState costs a round trip per job, and looks for the id in the wait and active lists with
 * LPOS, which is linear in the queue's length.) A job whose hash exists but that is in none of
 * those sets is waiting, delayed, prioritized or active. For a child only `failed` and `unknown`
 * matter, so it costs two commands.
 */
class JobProbe {
  private readonly jobs: { queue: Queue; jobId: string; child: boolean }[] = [];

  constructor(private readonly connection: Redis) {}

  /** Adds a job to read; returns the index of its state in what `run` answers. */
  add(queue: Queue, jobId: string, kind: "job" | "child" = "job"): number {
    this.jobs.push({ queue, jobId, child: kind === "child" });
    return this.jobs.length - 1;
  }

  async run(): Promise<ProbedState[]> {
    const states: ProbedState[] = [];
    let next = 0;
    while (next < this.jobs.length) {
      const pipeline = this.connection.pipeline();
      const chunk: { child: boolean }[] = [];
      let commands = 0;
      while (next < this.jobs.length && commands < COMMANDS_PER_PIPELINE) {
        const job = this.jobs[next++];
        if (!job) break;
        const { queue, jobId, child } = job;
        if (!child) {
          pipeline.zscore(queue.toKey("completed"), jobId);
          pipeline.zscore(queue.toKey("waiting-children"), jobId);
        }
        pipeline.zscore(queue.toKey("failed"), jobId);
        pipeline.exists(queue.toKey(jobId));
        commands += child ? 2 : 4;
        chunk.push(job);
      }
      const replies = await pipeline.exec();
      if (!replies) throw new Error("the Redis pipeline was discarded");
      let at = 0;
      const reply = () => {
        const [error, value] = replies[at++] ?? [new Error("missing pipeline reply"), null];
        if (error) throw error;
        return value;
      };
      for (const { child } of chunk) {
        const completed = child ? null : reply();
        const waitingChildren = child ? null : reply();
        const failed = reply();
        const exists = reply();
        states.push(
          completed !== null
            ? "completed"
            : failed !== null
              ? "failed"
              : waitingChildren !== null
                ? "waiting-children"
                : exists === 1
                  ? "queued"
                  : "unknown",
        );
      }
    }
    return states;
  }
}
