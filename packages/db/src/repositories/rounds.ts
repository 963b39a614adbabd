import type { Database } from "../client.ts";
import type { ModelSnapshot, Prisma, Round, RoundStatus, Trial } from "../generated/client.ts";

export interface Candidate {
  /** The cell in the search space's notation. */
  archString: string;
  /** Canonical hash of its isomorphism class. */
  canonicalHash: string;
  /** The strategy's model's prediction for it, if any. */
  prediction?: { accuracy?: number; flops?: number };
}

export interface NewSnapshot {
  strategy: string;
  backend?: string;
  state: Uint8Array;
}

export interface NewRound {
  campaignId: string;
  index: number;
  strategy: string;
  searchSpace: string;
  evaluatorFingerprint: string;
  candidates: Candidate[];
  /** How the strategy made the proposal. */
  info?: Prisma.InputJsonObject;
  /** The strategy's state after this round (model weights), saved with it. */
  snapshot?: NewSnapshot;
}

export type RoundWithTrials = Round & { trials: Trial[] };

/**
 * Writes a round and its trials in one transaction. Each candidate's architecture is stored once
 * per isomorphism class; a candidate whose (architecture, evaluator) result already exists, from
 * any campaign, becomes a completed, cached trial at once, so no job is ever run for it.
 */
export async function createRound(db: Database, round: NewRound): Promise<RoundWithTrials> {
  return db.$transaction(async (tx) => {
    const hashes = round.candidates.map((candidate) => candidate.canonicalHash);
    await tx.architecture.createMany({
      data: round.candidates.map((candidate) => ({
        searchSpace: round.searchSpace,
        canonicalHash: candidate.canonicalHash,
        archString: candidate.archString,
      })),
      skipDuplicates: true,
    });
    const architectures = await tx.architecture.findMany({
      where: { searchSpace: round.searchSpace, canonicalHash: { in: hashes } },
      select: { id: true, canonicalHash: true },
    });
    const architectureIdByHash = new Map(architectures.map((a) => [a.canonicalHash, a.id]));
    const architectureIds = [...architectureIdByHash.values()];
    const known = await tx.evaluation.findMany({
      where: {
        architectureId: { in: architectureIds },
        evaluatorFingerprint: round.evaluatorFingerprint,
      },
      select: { id: true, architectureId: true },
    });
    const evaluationIdByArchitecture = new Map(known.map((e) => [e.architectureId, e.id]));

    const created = await tx.round.create({
      data: {
        campaignId: round.campaignId,
        index: round.index,
        strategy: round.strategy,
        proposed: round.candidates.length,
        info: round.info ?? {},
      },
    });
    if (round.snapshot) {
      await tx.modelSnapshot.create({
        data: {
          campaignId: round.campaignId,
          roundId: created.id,
          roundIndex: round.index,
          strategy: round.snapshot.strategy,
          backend: round.snapshot.backend ?? null,
          state: new Uint8Array(round.snapshot.state),
          sizeBytes: round.snapshot.state.byteLength,
        },
      });
    }
    const now = new Date();
    await tx.trial.createMany({
      data: round.candidates.map((candidate) => {
        const architectureId = architectureIdByHash.get(candidate.canonicalHash);
        if (!architectureId) throw new Error(`architecture ${candidate.canonicalHash} not stored`);
        const evaluationId = evaluationIdByArchitecture.get(architectureId);
        return {
          campaignId: round.campaignId,
          roundId: created.id,
          architectureId,
          archString: candidate.archString,
          predictedAccuracy: candidate.prediction?.accuracy ?? null,
          predictedFlops: candidate.prediction?.flops ?? null,
          ...(evaluationId
            ? { status: "completed" as const, evaluationId, cached: true, finishedAt: now }
            : { status: "pending" as const }),
        };
      }),
    });
    const trials = await tx.trial.findMany({
      where: { roundId: created.id },
      orderBy: { createdAt: "asc" },
    });
    return { ...created, trials };
  });
}

export function findRound(
  db: Database,
  campaignId: string,
  index: number,
): Promise<RoundWithTrials | null> {
  return db.round.findUnique({
    where: { campaignId_index: { campaignId, index } },
    include: { trials: true },
  });
}

/**
 * Closes a round: trials still pending have no result (their job failed for good) and are
 * marked failed with the reason, so they do not count against the budget.
 */
export async function finishRound(
  db: Database,
  roundId: string,
  failures: ReadonlyMap<string, string> = new Map(),
): Promise<Round> {
  return db.$transaction(async (tx) => {
    const pending = await tx.trial.findMany({
      where: { roundId, status: "pending" },
      select: { id: true },
    });
    for (const trial of pending) {
      await tx.trial.update({
        where: { id: trial.id },
        data: {
          status: "failed",
          error: failures.get(trial.id) ?? "evaluation job failed",
          finishedAt: new Date(),
        },
      });
    }
    const status: RoundStatus = "completed";
    return tx.round.update({ where: { id: roundId }, data: { status, finishedAt: new Date() } });
  });
}

/**
 * finishRound in one statement (one round trip, one implicit transaction), for the coordinator's
 * hot path: also says whether the round was still running before, so that a redelivered round
 * job, which finds it closed, is not measured twice. Null when there is no such round.
 */
export async function closeRound(
  db: Database,
  roundId: string,
  failures: ReadonlyMap<string, string> = new Map(),
): Promise<{ round: Round; wasRunning: boolean } | null> {
  const [row] = await db.$queryRaw<(Round & { wasRunning: boolean })[]>`
    WITH before AS (SELECT status FROM rounds WHERE id = ${roundId}::uuid),
    failures (trial_id, reason) AS (
      SELECT * FROM unnest(${[...failures.keys()]}::uuid[], ${[...failures.values()]}::text[])
    ),
    failed AS (
      UPDATE trials
      SET status = 'failed', finished_at = now(),
        error = COALESCE(
          (SELECT reason FROM failures WHERE failures.trial_id = trials.id),
          'evaluation job failed')
      WHERE round_id = ${roundId}::uuid AND status = 'pending'
    ),
    closed AS (
      UPDATE rounds SET status = 'completed', finished_at = now()
      WHERE id = ${roundId}::uuid
      RETURNING *
    )
    SELECT closed.id, closed.campaign_id AS "campaignId", closed.index,
      closed.status::text AS "status", closed.strategy, closed.proposed, closed.info,
      closed.created_at AS "createdAt", closed.finished_at AS "finishedAt",
      (SELECT status = 'running' FROM before) AS "wasRunning"
    FROM closed`;
  if (!row) return null;
  const { wasRunning, ...round } = row;
  return { round, wasRunning };
}

/** The campaign's latest strategy state saved before round `beforeIndex`, if any. */
export function findLatestSnapshot(
  db: Database,
  campaignId: string,
  beforeIndex: number,
): Promise<ModelSnapshot | null> {
  return db.modelSnapshot.findFirst({
    where: { campaignId, roundIndex: { lt: beforeIndex } },
    orderBy: { roundIndex: "desc" },
  });
}
