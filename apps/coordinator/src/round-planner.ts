import type { Logger } from "@nasvae/config";
import type { StrategySpec } from "@nasvae/contracts";
import {
  type Campaign,
  closeRound,
  createRound,
  type Database,
  findCampaign,
  findLatestSnapshot,
  findRound,
  finishCampaign,
  listTrialObservations,
  type Prisma,
  type RoundWithTrials,
} from "@nasvae/db";
import { type JobQueues, roundFlow, roundJob, roundPayload } from "@nasvae/jobs";
import {
  createStrategy,
  evaluationsLeft,
  type Observation,
  proposeRound,
} from "@nasvae/strategies";
import { campaignSpace, outsideDomain } from "./campaign-space.ts";
import type { CoordinatorMetrics } from "./metrics.ts";
import { outcomeOf } from "./round-outcome.ts";

/**
 * Plans a campaign's rounds: asks the strategy for candidates, records the round in Postgres,
 * then enqueues it as a BullMQ flow (a parent "round" job whose children are "evaluate" jobs).
 * Every step is safe to repeat: a retried job finds the round already written and re-adds the
 * same flow, whose jobIds make the second add a no-op.
 *
 * Each call logs to the logger it is given: the job's, bound to its jobId and campaignId; each
 * round's lines add its index (`round`) and, once written, its id.
 */
export class RoundPlanner {
  constructor(
    private readonly db: Database,
    private readonly queues: JobQueues,
    private readonly metrics: CoordinatorMetrics,
  ) {}

  /**
   * Plans round `index` of a campaign, or completes the campaign when its budget is spent.
   * Rounds whose candidates were all answered from the cache need no jobs: planning then
   * continues at once with the next round. `current`: the campaign's row as just written, if
   * the caller has it, instead of reading it again for the first round. `unwritten`: the caller
   * knows round `index` is not written yet (the campaign has no round at all), so it is not
   * looked for.
   */
  async planFrom(
    campaignId: string,
    index: number,
    log: Logger,
    current?: Campaign,
    unwritten = false,
  ): Promise<void> {
    let known = current;
    let notWritten = unwritten;
    for (let roundIndex = index; ; roundIndex += 1) {
      const campaign = known ?? (await findCampaign(this.db, campaignId));
      known = undefined;
      if (!campaign) throw new Error(`campaign ${campaignId} does not exist`);
      if (campaign.status !== "running") {
        log.info({ status: campaign.status }, "campaign not running; no round planned");
        return;
      }
      const roundLog = log.child({ round: roundIndex });
      const written = notWritten ? null : await findRound(this.db, campaignId, roundIndex);
      notWritten = false;
      const round = written ?? (await this.proposeRound(campaign, roundIndex, roundLog));
      if (!round) return;
      const pending = round.trials.filter((trial) => trial.status === "pending");
      if (pending.length > 0 && round.status === "running") {
        // A round this call has just written has never been enqueued: no need to look.
        await this.enqueueRound(campaign, round, roundLog, written !== null);
        return;
      }
      if (round.status === "running") {
        // Every candidate was already evaluated (by this or another campaign). Closing it also
        // completes the campaign when that spent its budget (one statement).
        const closed = await closeRound(this.db, round.id);
        if (!closed) throw new Error(`round ${round.id} does not exist`);
        const outcome = outcomeOf(closed.round, closed.predictionErrors);
        this.metrics.observeRound(closed.round.strategy, outcome);
        roundLog.info(
          {
            roundId: round.id,
            cached: round.trials.length,
            predictorMeanAbsoluteError: outcome.meanAbsoluteError,
          },
          "round completed from cache",
        );
        if (closed.campaignCompleted) {
          this.metrics.campaignsFinished.inc({ status: "completed" });
          log.info({ status: "completed" }, "campaign completed");
          return;
        }
      }
    }
  }

  /** Writes the next round, or ends the campaign; returns null when there is nothing to run. */
  private async proposeRound(
    campaign: Campaign,
    index: number,
    log: Logger,
  ): Promise<RoundWithTrials | null> {
    // Rounds are written in order: without a round 0 the campaign has no trials yet.
    const trials = index > 0 ? await listTrialObservations(this.db, campaign.id) : [];
    const history: Observation[] = trials.map((trial) => ({
      archString: trial.archString,
      canonicalHash: trial.canonicalHash,
      status: trial.status,
      ...(trial.validationAccuracy !== null
        ? {
            validationAccuracy: trial.validationAccuracy,
            flops: trial.flops as number,
            params: trial.params as number,
          }
        : {}),
    }));
    const completed = trials.filter((t) => t.status === "completed").length;
    const remaining = evaluationsLeft(campaign.budgetEvaluations, history);
    if (remaining <= 0) {
      await this.finish(campaign, "completed", log);
      return null;
    }
    const previous = index > 0 ? trials.filter((t) => t.roundIndex === index - 1) : [];
    if (previous.length > 0 && previous.every((t) => t.status === "failed")) {
      const reason = previous[0]?.error ?? "unknown error";
      await this.finish(
        campaign,
        "failed",
        log,
        `every evaluation of round ${index - 1} failed: ${reason}`,
      );
      return null;
    }

    // Restricted to what the evaluator can score (a table's rows), if that is not the whole space.
    const searched = await campaignSpace(campaign.searchSpace, campaign.evaluator);
    const strategy = createStrategy(campaign.strategy as StrategySpec, searched.space);
    // Warm start: the state the strategy saved with its latest round (a restarted coordinator
    // resumes from it too).
    // (Round 0 has no earlier round: nothing to read.)
    const snapshot = index > 0 ? await findLatestSnapshot(this.db, campaign.id, index) : null;
    // The propose step the search bench runs too (packages/strategies/src/propose-round.ts).
    const { candidates, state, info, proposeMs } = await proposeRound({
      strategy,
      campaignSeed: campaign.seed,
      roundIndex: index,
      roundSize: campaign.roundSize,
      remaining,
      history,
      ...(snapshot ? { state: new Uint8Array(snapshot.state) } : {}),
    });
    this.metrics.observeProposal(strategy.kind, proposeMs / 1000, info);
    if (candidates.length === 0) {
      log.warn("search space exhausted before the budget");
      await this.finish(campaign, "completed", log);
      return null;
    }
    // Defence in depth: a cell the evaluator cannot score would fail in the worker, one job at a
    // time; a strategy that proposes one is broken, so the campaign stops here, saying which.
    const unscorable = outsideDomain(
      searched,
      candidates.map((candidate) => candidate.archString),
    );
    if (unscorable.length > 0) {
      const error = `strategy ${strategy.kind} proposed ${unscorable.length} architecture(s) outside the ${searched.domain?.size} cells evaluator "${searched.evaluatorKind}" can score, e.g. ${unscorable[0]}; round ${index} was not enqueued`;
      log.error({ unscorable: unscorable.slice(0, 10) }, error);
      await this.finish(campaign, "failed", log, error);
      return null;
    }
    const round = await createRound(this.db, {
      campaignId: campaign.id,
      index,
      strategy: strategy.kind,
      searchSpace: campaign.searchSpace,
      evaluatorFingerprint: campaign.evaluatorFingerprint,
      candidates,
      info: {
        ...info,
        proposeMs: Math.round(proposeMs),
      } as Prisma.InputJsonObject,
      ...(state
        ? {
            snapshot: {
              strategy: strategy.kind,
              state,
              ...(typeof info?.backend === "string" ? { backend: info.backend } : {}),
            },
          }
        : {}),
    });
    log.info(
      {
        roundId: round.id,
        proposed: candidates.length,
        cached: round.trials.filter((t) => t.cached).length,
        evaluationsDone: completed,
        budget: campaign.budgetEvaluations,
        proposeMs: Math.round(proposeMs),
        warmStart: snapshot ? snapshot.roundIndex : null,
        ...(info ? { info } : {}),
      },
      "round proposed",
    );
    return round;
  }

  private async enqueueRound(
    campaign: Campaign,
    round: RoundWithTrials,
    log: Logger,
    mayBeEnqueued: boolean,
  ): Promise<void> {
    const parentJobId = roundJob.jobId(roundPayload(campaign, round));
    // Enqueued before a retry: adding the flow again could re-add children already removed.
    if (mayBeEnqueued && (await this.queues.byName.rounds.getJob(parentJobId))) return;
    const pending = round.trials.filter((trial) => trial.status === "pending");
    await this.queues.flows.add(roundFlow(campaign, round, pending));
    log.info({ roundId: round.id, jobs: pending.length }, "round enqueued");
  }

  private async finish(
    campaign: Campaign,
    status: "completed" | "failed",
    log: Logger,
    error?: string,
  ) {
    if (await finishCampaign(this.db, campaign.id, status, error)) {
      this.metrics.campaignsFinished.inc({ status });
      log.info({ status, error }, `campaign ${status}`);
    }
  }
}
