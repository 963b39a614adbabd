// Postgres is the source of truth; Redis only carries the work in flight. When Redis loses it
// (a restart without persistence, a failover to an empty replica, a flush), the reconciler
// rebuilds it from Postgres: every campaign that should be moving gets back the job that moves it.
import type { Logger } from "@nasvae/config";
import type { Campaign, Database } from "@nasvae/db";
import {
  evaluateJob,
  type JobDefinition,
  type JobQueues,
  roundJob,
  startCampaignJob,
} from "@nasvae/jobs";
import type { JobState, Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Static, TObject } from "typebox";
import { evaluatePayload, roundFlow, roundPayload } from "./round-flow.ts";

export interface ReconcilerOptions {
  db: Database;
  queues: JobQueues;
  log: Logger;
  /** Time between periodic passes; 0: only at start and when Redis comes back. */
  intervalMs: number;
  /** True while a job of this campaign runs in this process: the pass leaves it alone. */
  isBusy?: (campaignId: string) => boolean;
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

type JobStateOrMissing = JobState | "unknown";
type PendingTrial = { id: string; architectureId: string; archString: string };

/** A campaign as the pass sees it in Postgres: its status and its latest round. */
interface Observation {
  campaign: Campaign;
  round: { id: string; index: number; status: string; pending: PendingTrial[] } | null;
}

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
    const report: ReconcileReport = {
      campaigns: 0,
      added: { campaign: 0, round: 0, evaluate: 0 },
      retried: 0,
      deferred: 0,
    };
    const campaigns = await db.campaign.findMany({
      where: { status: { in: ["queued", "running"] } },
      select: { id: true },
      orderBy: { createdAt: "asc" },
    });
    const seen = new Set<string>();
    for (const { id } of campaigns) {
      if (this.closed) break;
      report.campaigns += 1;
      seen.add(id);
      if (this.options.isBusy?.(id)) {
        report.deferred += 1;
        continue;
      }
      try {
        await this.reconcileCampaign(id, report);
      } catch (error) {
        report.deferred += 1;
        log.warn({ err: error, campaignId: id }, "could not reconcile campaign; retried later");
      }
    }
    for (const id of this.suspects.keys()) if (!seen.has(id)) this.suspects.delete(id);
    const changed = report.added.campaign + report.added.round + report.added.evaluate;
    if (changed + report.retried > 0) {
      log.warn({ reason, ...report }, "reconciler re-enqueued work missing from Redis");
    } else {
      log.debug({ reason, ...report }, "reconciled: nothing missing");
    }
    return report;
  }

  private async reconcileCampaign(campaignId: string, report: ReconcileReport): Promise<void> {
    const before = await this.observe(campaignId);
    if (!before || !["queued", "running"].includes(before.campaign.status)) return;
    const repair = await this.decide(before);
    if (!repair) {
      this.suspects.delete(campaignId);
      return;
    }
    // Redis was read after Postgres: if Postgres has not moved meanwhile, what Redis lacks is
    // really missing (the coordinator writes Postgres before it enqueues or completes a job).
    const after = await this.observe(campaignId);
    if (!after || fingerprint(after) !== fingerprint(before) || this.options.isBusy?.(campaignId)) {
      report.deferred += 1;
      return;
    }
    if (repair.unsure && this.suspects.get(campaignId) !== repair.what) {
      this.suspects.set(campaignId, repair.what);
      report.deferred += 1;
      return;
    }
    this.suspects.delete(campaignId);
    await repair.apply(report);
    this.options.log.info(
      { campaignId, round: before.round?.index ?? null, repair: repair.what },
      "reconciler repaired campaign",
    );
  }

  private async observe(campaignId: string): Promise<Observation | null> {
    const { db } = this.options;
    const campaign = await db.campaign.findUnique({ where: { id: campaignId } });
    if (!campaign) return null;
    const round = await db.round.findFirst({
      where: { campaignId },
      orderBy: { index: "desc" },
      select: {
        id: true,
        index: true,
        status: true,
        trials: {
          where: { status: "pending" },
          select: { id: true, architectureId: true, archString: true },
          orderBy: { id: "asc" },
        },
      },
    });
    return {
      campaign,
      round: round
        ? { id: round.id, index: round.index, status: round.status, pending: round.trials }
        : null,
    };
  }

  /** What this campaign lacks in Redis, if anything. */
  private async decide({ campaign, round }: Observation): Promise<Repair | null> {
    const { rounds, evaluations } = this.options.queues.byName;
    if (campaign.status === "queued" || !round) {
      return this.ensureSingle(startCampaignJob, { campaignId: campaign.id }, "campaign");
    }
    const payload = roundPayload(campaign, round);
    if (round.status !== "running") {
      // Closed: its job plans the next round; without it, nobody would.
      return this.ensureSingle(roundJob, payload, "round");
    }
    const roundJobId = roundJob.jobId(payload);
    const roundState = await rounds.getJobState(roundJobId);
    if (roundState === "failed") return this.retry(rounds, roundJobId, "round");
    if (roundState === "unknown" || roundState === "completed") {
      // The flow is gone (or finished with the round still open): build it again from the pending
      // trials. Children whose job failed for good stay out; the round marks them failed.
      const states = await this.childStates(round.pending);
      const children = round.pending.filter((trial) => states.get(trial.id) !== "failed");
      const missing = children.filter((trial) => states.get(trial.id) === "unknown").length;
      return {
        what: `round ${round.index} flow (${children.length} evaluate jobs)`,
        unsure: roundState === "completed",
        apply: async (report) => {
          if (roundState === "completed")
            await rounds.remove(roundJobId, { removeChildren: false });
          await this.options.queues.flows.add(roundFlow(campaign, round, children));
          report.added.round += 1;
          report.added.evaluate += missing;
        },
      };
    }
    if (roundState !== "waiting-children") return null; // waiting, active or delayed: it runs
    // The round waits for its children: each pending trial needs its evaluate job.
    const states = await this.childStates(round.pending);
    const missing = round.pending.filter((trial) => states.get(trial.id) === "unknown");
    if (missing.length === 0) return null;
    return {
      what: `${missing.length} evaluate jobs of round ${round.index}`,
      apply: async (report) => {
        for (const trial of missing) {
          const data = evaluatePayload(campaign, round, trial);
          await evaluations.add(evaluateJob.name, data, {
            ...evaluateJob.options,
            jobId: evaluateJob.jobId(data),
            parent: { id: roundJobId, queue: rounds.qualifiedName },
          });
          report.added.evaluate += 1;
        }
      },
    };
  }

  private async childStates(trials: PendingTrial[]): Promise<Map<string, JobStateOrMissing>> {
    const { evaluations } = this.options.queues.byName;
    // All at once: the commands share one connection, so they go to Redis as one pipeline
    // rather than one round trip per pending trial.
    const states = await Promise.all(
      trials.map((trial) => evaluations.getJobState(`trial-${trial.id}`)),
    );
    return new Map(trials.map((trial, i) => [trial.id, states[i] as JobStateOrMissing]));
  }

  /** A job with no children: added when missing, retried when failed for good. */
  private async ensureSingle<Schema extends TObject>(
    definition: JobDefinition<Schema>,
    payload: Static<Schema>,
    kind: "campaign" | "round",
  ): Promise<Repair | null> {
    const queue = this.options.queues.byName[definition.queue];
    const jobId = definition.jobId(payload);
    const state = await queue.getJobState(jobId);
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
