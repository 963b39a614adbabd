import type { Database } from "../client.ts";
import {
  type ModelSnapshot,
  Prisma,
  type Round,
  type RoundStatus,
  type Trial,
  type TrialStatus,
} from "../generated/client.ts";

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

/** A row of createRound's statement: the round, and one of its trials (none without candidates). */
interface CreatedRoundRow {
  roundId: string;
  roundCampaignId: string;
  roundIndex: number;
  roundStatus: RoundStatus;
  roundStrategy: string;
  roundProposed: number;
  roundInfo: Prisma.JsonValue;
  roundCreatedAt: Date;
  roundFinishedAt: Date | null;
  trial: Omit<Trial, "status"> & { status: TrialStatus };
}

/**
 * Writes a round and its trials in one statement (one round trip, one implicit transaction: all
 * of it or nothing). Each candidate's architecture is stored once per isomorphism class; a
 * candidate whose (architecture, evaluator) result already exists, from any campaign, becomes a
 * completed, cached trial at once, so no job is ever run for it. Trials come back in candidate
 * order.
 */
export async function createRound(db: Database, round: NewRound): Promise<RoundWithTrials> {
  const { candidates, snapshot } = round;
  const hashes = candidates.map((candidate) => candidate.canonicalHash);
  if (new Set(hashes).size !== hashes.length) {
    throw new Error("a round cannot propose two cells of the same isomorphism class");
  }
  const snapshotInsert = snapshot
    ? Prisma.sql`, saved_snapshot AS (
        INSERT INTO model_snapshots (
          campaign_id, round_id, round_index, strategy, backend, state, size_bytes
        )
        SELECT ${round.campaignId}::uuid, new_round.id, ${round.index}::int4, ${snapshot.strategy},
          ${snapshot.backend ?? null}::text,
          decode(${Buffer.from(snapshot.state).toString("base64")}, 'base64'),
          ${snapshot.state.byteLength}::int4
        FROM new_round
      )`
    : Prisma.empty;
  // No row back: a class was committed by a concurrent round meanwhile and nothing was written
  // (see new_round); a new statement sees it.
  let rows: CreatedRoundRow[] = [];
  for (let attempt = 1; rows.length === 0 && attempt <= 5; attempt += 1) {
    rows = await db.$queryRaw<CreatedRoundRow[]>`
    WITH candidates AS (
      SELECT * FROM unnest(
        ${hashes}::text[],
        ${candidates.map((candidate) => candidate.archString)}::text[],
        ${candidates.map((candidate) => candidate.prediction?.accuracy ?? null)}::float8[],
        ${candidates.map((candidate) => candidate.prediction?.flops ?? null)}::float8[]
      ) WITH ORDINALITY AS c (canonical_hash, arch_string, predicted_accuracy, predicted_flops, position)
    ),
    -- Most classes are stored already: they are read, not written (no new row version, no row
    -- lock shared by every round that proposes them). The missing ones are inserted, in hash
    -- order so that two rounds sharing classes lock them in the same order.
    existing AS (
      SELECT a.id, a.canonical_hash FROM candidates c
      CROSS JOIN LATERAL (
        SELECT id, canonical_hash FROM architectures
        WHERE search_space = ${round.searchSpace} AND canonical_hash = c.canonical_hash
        LIMIT 1
      ) a
    ),
    added AS (
      INSERT INTO architectures (search_space, canonical_hash, arch_string)
      SELECT ${round.searchSpace}, canonical_hash, arch_string FROM candidates
      WHERE NOT EXISTS (SELECT 1 FROM existing WHERE existing.canonical_hash = candidates.canonical_hash)
      ORDER BY canonical_hash
      ON CONFLICT (search_space, canonical_hash) DO NOTHING
      RETURNING id, canonical_hash
    ),
    stored AS (
      SELECT * FROM existing UNION ALL SELECT * FROM added
    ),
    known AS (
      SELECT evaluations.architecture_id, evaluations.id
      FROM evaluations JOIN stored ON evaluations.architecture_id = stored.id
      WHERE evaluations.evaluator_fingerprint = ${round.evaluatorFingerprint}
    ),
    -- A class that a concurrent round committed after this statement's snapshot was taken is
    -- neither seen nor inserted: then no round is written, and the statement runs again.
    new_round AS (
      INSERT INTO rounds (campaign_id, index, strategy, proposed, info)
      SELECT ${round.campaignId}::uuid, ${round.index}::int4, ${round.strategy},
        ${candidates.length}::int4, ${JSON.stringify(round.info ?? {})}::jsonb
      WHERE (SELECT count(*) FROM stored) = ${candidates.length}
      RETURNING *
    )${snapshotInsert},
    new_trials AS (
      INSERT INTO trials (
        campaign_id, round_id, architecture_id, arch_string, predicted_accuracy, predicted_flops,
        status, evaluation_id, cached, finished_at
      )
      SELECT ${round.campaignId}::uuid, new_round.id, stored.id, candidates.arch_string,
        candidates.predicted_accuracy, candidates.predicted_flops,
        (CASE WHEN known.id IS NULL THEN 'pending' ELSE 'completed' END)::trial_status,
        known.id, known.id IS NOT NULL,
        CASE WHEN known.id IS NULL THEN NULL ELSE now() END
      FROM candidates
      CROSS JOIN new_round
      JOIN stored ON stored.canonical_hash = candidates.canonical_hash
      LEFT JOIN known ON known.architecture_id = stored.id
      RETURNING *
    )
    SELECT new_round.id AS "roundId", new_round.campaign_id AS "roundCampaignId",
      new_round.index AS "roundIndex", new_round.status::text AS "roundStatus",
      new_round.strategy AS "roundStrategy", new_round.proposed AS "roundProposed",
      new_round.info AS "roundInfo", new_round.created_at AS "roundCreatedAt",
      new_round.finished_at AS "roundFinishedAt",
      CASE WHEN t.id IS NULL THEN NULL ELSE json_build_object(
        'id', t.id, 'campaignId', t.campaign_id, 'roundId', t.round_id,
        'architectureId', t.architecture_id, 'archString', t.arch_string,
        'status', t.status, 'evaluationId', t.evaluation_id, 'cached', t.cached,
        'predictedAccuracy', t.predicted_accuracy, 'predictedFlops', t.predicted_flops,
        'error', t.error, 'createdAt', t.created_at, 'finishedAt', t.finished_at
      ) END AS "trial"
    FROM new_round
    LEFT JOIN new_trials t ON true
    LEFT JOIN stored ON stored.id = t.architecture_id
    LEFT JOIN candidates ON candidates.canonical_hash = stored.canonical_hash
    ORDER BY candidates.position`;
  }
  const [first] = rows;
  if (!first) throw new Error(`round ${round.index} of campaign ${round.campaignId} not written`);
  const trials = rows.flatMap((row) => (row.trial ? [trialFromJson(row.trial)] : []));
  if (trials.length !== candidates.length) {
    throw new Error(
      `round ${round.index}: ${trials.length} of ${candidates.length} trials written`,
    );
  }
  return {
    id: first.roundId,
    campaignId: first.roundCampaignId,
    index: first.roundIndex,
    status: first.roundStatus,
    strategy: first.roundStrategy,
    proposed: first.roundProposed,
    info: first.roundInfo,
    createdAt: first.roundCreatedAt,
    finishedAt: first.roundFinishedAt,
    trials,
  };
}

/** A trial as json_build_object gives it: timestamps as strings. */
function trialFromJson(trial: CreatedRoundRow["trial"]): Trial {
  return {
    ...trial,
    createdAt: new Date(trial.createdAt),
    finishedAt: trial.finishedAt === null ? null : new Date(trial.finishedAt),
  };
}

/** The round with its trials; a round not written yet (the planner's usual case) costs one query. */
export async function findRound(
  db: Database,
  campaignId: string,
  index: number,
): Promise<RoundWithTrials | null> {
  const round = await db.round.findUnique({ where: { campaignId_index: { campaignId, index } } });
  if (!round) return null;
  return { ...round, trials: await db.trial.findMany({ where: { roundId: round.id } }) };
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

/** What closeRound did and found, besides the closed round. */
export interface ClosedRound {
  round: Round;
  /** Whether the round was still running before (false: a redelivered round job). */
  wasRunning: boolean;
  /** |predicted − measured| validation accuracy of its completed trials that had a prediction. */
  predictionErrors: number[];
  /**
   * True when this statement also ended the campaign `completed`: it was running and its
   * completed trials reached its budget, so there is no next round to plan.
   */
  campaignCompleted: boolean;
}

/**
 * finishRound in one statement (one round trip, one implicit transaction), for the coordinator's
 * hot path: closes the round (its trials still pending end failed, with their job's reason), says
 * whether it was still running before, so that a redelivered round job, which finds it closed, is
 * not measured twice, returns the round's prediction errors, and completes the campaign when its
 * budget is spent (what planning the next round would find first, at three more round trips).
 * Null when there is no such round.
 */
export async function closeRound(
  db: Database,
  roundId: string,
  failures: ReadonlyMap<string, string> = new Map(),
): Promise<ClosedRound | null> {
  const [row] = await db.$queryRaw<
    (Round & {
      wasRunning: boolean;
      predictionErrors: number[] | null;
      campaignCompleted: boolean;
    })[]
  >`
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
    ),
    errors AS (
      SELECT abs(t.predicted_accuracy - e.validation_accuracy) AS error
      FROM trials t JOIN evaluations e ON e.id = t.evaluation_id
      WHERE t.round_id = ${roundId}::uuid AND t.status = 'completed'
        AND t.predicted_accuracy IS NOT NULL
    ),
    spent AS (
      UPDATE campaigns c SET status = 'completed', finished_at = now(), error = NULL
      FROM closed
      WHERE c.id = closed.campaign_id AND c.status = 'running'
        AND c.budget_evaluations <= (
          SELECT count(*) FROM trials t WHERE t.campaign_id = c.id AND t.status = 'completed')
      RETURNING c.id
    )
    SELECT closed.id, closed.campaign_id AS "campaignId", closed.index,
      closed.status::text AS "status", closed.strategy, closed.proposed, closed.info,
      closed.created_at AS "createdAt", closed.finished_at AS "finishedAt",
      (SELECT status = 'running' FROM before) AS "wasRunning",
      (SELECT array_agg(error) FROM errors) AS "predictionErrors",
      EXISTS (SELECT 1 FROM spent) AS "campaignCompleted"
    FROM closed`;
  if (!row) return null;
  const { wasRunning, predictionErrors, campaignCompleted, ...round } = row;
  return {
    round,
    wasRunning,
    predictionErrors: (predictionErrors ?? []).map(Number),
    campaignCompleted,
  };
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

/** The campaign's first round still running (its index and id), if any. */
export function findOpenRound(
  db: Database,
  campaignId: string,
): Promise<{ id: string; index: number } | null> {
  return db.round.findFirst({
    where: { campaignId, status: "running" },
    orderBy: { index: "asc" },
    select: { index: true, id: true },
  });
}

/** The index of the campaign's latest round, or null when it has none. */
export async function findLastRoundIndex(db: Database, campaignId: string): Promise<number | null> {
  const last = await db.round.findFirst({
    where: { campaignId },
    orderBy: { index: "desc" },
    select: { index: true },
  });
  return last ? last.index : null;
}
