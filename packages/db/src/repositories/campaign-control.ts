import type { Database } from "../client.ts";
import type { Campaign, CampaignStatus } from "../generated/client.ts";

/** The error of a trial that a cancel ended before it was evaluated. */
export const CANCELLED_TRIAL_ERROR = "campaign cancelled";

/** Statuses each control request accepts; anything else is a conflict (409). */
export const CONTROL_FROM = {
  pause: ["queued", "running"],
  resume: ["paused"],
  cancel: ["queued", "running", "paused"],
} as const satisfies Record<string, readonly CampaignStatus[]>;

export type ControlAction = keyof typeof CONTROL_FROM;

/**
 * What a control request did: `changed` with the campaign after it, `conflict` with the campaign
 * as it is (its status did not allow the change), or `missing` (no such campaign).
 */
export type ControlResult<Extra = object> =
  | ({ outcome: "changed"; campaign: Campaign; previous: CampaignStatus } & Extra)
  | { outcome: "conflict"; campaign: Campaign }
  | { outcome: "missing" };

type Transaction = Parameters<Parameters<Database["$transaction"]>[0]>[0];

/**
 * Runs one status transition in a transaction. The conditional update that changes the status
 * takes the campaign's row lock first, so two requests (or a request and the coordinator ending
 * the campaign) cannot both act on the same old status; `then` runs under that lock.
 */
async function transition<Extra extends object>(
  db: Database,
  id: string,
  action: ControlAction,
  to: (tx: Transaction) => Promise<CampaignStatus | null>,
  then: (tx: Transaction) => Promise<Extra>,
): Promise<ControlResult<Extra>> {
  return db.$transaction(async (tx) => {
    const previous = await tx.campaign.findUnique({ where: { id }, select: { status: true } });
    if (!previous) return { outcome: "missing" as const };
    const status = (CONTROL_FROM[action] as readonly CampaignStatus[]).includes(previous.status)
      ? await to(tx)
      : null;
    if (status === null) {
      return {
        outcome: "conflict" as const,
        campaign: await tx.campaign.findUniqueOrThrow({ where: { id } }),
      };
    }
    const extra = await then(tx);
    const campaign = await tx.campaign.findUniqueOrThrow({ where: { id } });
    return { outcome: "changed" as const, previous: previous.status, campaign, ...extra };
  });
}

/** Sets `data` where the campaign is in one of `from`; the new status, or null if it was not. */
async function setStatus(
  tx: Transaction,
  id: string,
  from: readonly CampaignStatus[],
  data: { status: CampaignStatus; finishedAt?: Date },
  where: { startedAt?: null | { not: null } } = {},
): Promise<CampaignStatus | null> {
  const { count } = await tx.campaign.updateMany({
    where: { id, status: { in: [...from] }, ...where },
    data,
  });
  return count === 1 ? data.status : null;
}

const nothing = async () => ({});

/** queued/running -> paused. Nothing else changes: rounds, trials and jobs stay as they are. */
export function pauseCampaign(db: Database, id: string): Promise<ControlResult> {
  return transition(
    db,
    id,
    "pause",
    (tx) => setStatus(tx, id, CONTROL_FROM.pause, { status: "paused" }),
    nothing,
  );
}

/**
 * paused -> running, or -> queued when it was paused before it ever started (the coordinator
 * then starts it as usual). The caller enqueues the work that continues it.
 */
export function resumeCampaign(db: Database, id: string): Promise<ControlResult> {
  return transition(
    db,
    id,
    "resume",
    async (tx) =>
      (await setStatus(
        tx,
        id,
        CONTROL_FROM.resume,
        { status: "running" },
        {
          startedAt: { not: null },
        },
      )) ??
      (await setStatus(tx, id, CONTROL_FROM.resume, { status: "queued" }, { startedAt: null })),
    nothing,
  );
}

/** Undoes a resume whose follow-up work could not be enqueued: back to paused, if unchanged. */
export async function revertResume(db: Database, id: string, resumedTo: CampaignStatus) {
  await db.campaign.updateMany({ where: { id, status: resumedTo }, data: { status: "paused" } });
}

/** What a cancel ended, so that the caller can remove the matching jobs from the queue. */
export interface CancelledWork {
  /** Trials that were pending (now failed with CANCELLED_TRIAL_ERROR): their evaluate jobs. */
  trialIds: string[];
  /** Indexes of the rounds that were running (now closed): their round jobs. */
  roundIndexes: number[];
}

/**
 * queued/running/paused -> cancelled, in one transaction: finishedAt is set, every pending trial
 * ends failed with the error CANCELLED_TRIAL_ERROR, and running rounds are closed. Trials already
 * completed stay completed (they count). A result recorded after this commits cannot complete
 * one of these trials any more (recordEvaluation only completes trials that have not failed).
 */
export function cancelCampaign(db: Database, id: string): Promise<ControlResult<CancelledWork>> {
  const now = new Date();
  return transition(
    db,
    id,
    "cancel",
    (tx) => setStatus(tx, id, CONTROL_FROM.cancel, { status: "cancelled", finishedAt: now }),
    async (tx) => {
      const pending = await tx.trial.findMany({
        where: { campaignId: id, status: "pending" },
        select: { id: true },
      });
      await tx.trial.updateMany({
        where: { campaignId: id, status: "pending" },
        data: { status: "failed", error: CANCELLED_TRIAL_ERROR, finishedAt: now },
      });
      const running = await tx.round.findMany({
        where: { campaignId: id, status: "running" },
        select: { index: true },
      });
      await tx.round.updateMany({
        where: { campaignId: id, status: "running" },
        data: { status: "completed", finishedAt: now },
      });
      return {
        trialIds: pending.map((trial) => trial.id),
        roundIndexes: running.map((round) => round.index),
      };
    },
  );
}

/**
 * Ends a trial of a cancelled campaign that was proposed after the cancel (a round planned while
 * the cancel committed): failed, like the trials the cancel ended. False if it was not pending.
 */
export async function cancelPendingTrial(db: Database, trialId: string): Promise<boolean> {
  const { count } = await db.trial.updateMany({
    where: { id: trialId, status: "pending" },
    data: { status: "failed", error: CANCELLED_TRIAL_ERROR, finishedAt: new Date() },
  });
  return count === 1;
}

/** The status of a campaign (one indexed read); null when there is no such campaign. */
export async function campaignStatus(db: Database, id: string): Promise<CampaignStatus | null> {
  const row = await db.campaign.findUnique({ where: { id }, select: { status: true } });
  return row?.status ?? null;
}

/** Pending trials of a campaign: the evaluate jobs that a resume wakes up. */
export async function pendingTrialIds(db: Database, campaignId: string): Promise<string[]> {
  const rows = await db.trial.findMany({
    where: { campaignId, status: "pending" },
    select: { id: true },
  });
  return rows.map((row) => row.id);
}
