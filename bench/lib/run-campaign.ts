import type { StrategySpec } from "@nasvae/contracts";
import { nasBench201SearchSpace } from "@nasvae/search-space";
import {
  type AnySearchSpace,
  createStrategy as createPackageStrategy,
  evaluationsLeft,
  type Observation,
  proposeRound,
  type Strategy,
} from "@nasvae/strategies";
import { resolveSearchTarget, type SearchTarget } from "./search-target.ts";

/**
 * A strategy spec as a campaign would post it. Kinds the strategies package does not know yet
 * are allowed here: createStrategy rejects them, and the bench reports them as skipped.
 */
export type BenchStrategySpec = { kind: string } & Record<string, unknown>;

/** What evaluating one architecture yields. Only validationAccuracy, flops and params reach the strategy. */
export interface Score {
  validationAccuracy: number;
  /** Recorded for the report, never shown to the strategy; null where the table has none (ENAS-6). */
  testAccuracy: number | null;
  flops: number;
  params: number;
}

export type ScoreFunction = (archString: string) => Score | Promise<Score>;

export interface CampaignEvaluation extends Score {
  /** Position in the campaign (0-based): the order results reached the history. */
  index: number;
  round: number;
  archString: string;
  canonicalHash: string;
  /** What the strategy's model predicted, if it said. */
  prediction?: { accuracy?: number; flops?: number };
}

export interface CampaignRound {
  index: number;
  /** count asked of the strategy: min(roundSize, budget − evaluations so far). */
  requested: number;
  proposed: number;
  proposeMs: number;
  evaluateMs: number;
  /** propose + evaluate, as this process measured it. */
  wallMs: number;
  /** Size of the state the strategy saved with this round, if any. */
  stateBytes?: number;
  info?: Record<string, unknown>;
}

export interface CampaignRun {
  strategySpec: BenchStrategySpec;
  strategyKind: string;
  seed: number;
  budget: number;
  roundSize: number;
  /** In the order they were recorded; exactly `budget` long unless the space ran out. */
  evaluations: CampaignEvaluation[];
  rounds: CampaignRound[];
  /** Strategy creation plus every round. */
  wallMs: number;
  /** True when the strategy returned no candidate before the budget was spent. */
  exhausted: boolean;
}

export interface RunCampaignOptions {
  strategySpec: BenchStrategySpec;
  /** The campaign seed; round k uses createRandom(roundSeed(seed, k)) (proposeRound, as the coordinator). */
  seed: number;
  /** Evaluations, exact. */
  budget: number;
  /** Candidates per round (the campaign's budget.perRound). */
  roundSize: number;
  /** Scores the candidates; required unless `target` is given. */
  score?: ScoreFunction;
  /** Defaults to NAS-Bench-201. */
  space?: AnySearchSpace;
  /**
   * Space and table to search, by name (what the bench's child processes receive): when given,
   * it decides both the space and the score, and `space` and `score` are ignored.
   */
  target?: SearchTarget;
  /** Defaults to the strategies package's createStrategy (what the coordinator calls). */
  createStrategy?: (spec: StrategySpec, space: AnySearchSpace) => Strategy;
}

function positiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, got ${String(value)}`);
  }
}

/**
 * Runs one campaign in this process, driving the strategy exactly as the coordinator's
 * RoundPlanner does, through the same proposeRound of @nasvae/strategies: round k asks for min(roundSize, budget − completed) candidates with
 * rng = createRandom(roundSeed(seed, k)) and the whole history so far (every evaluation, in
 * order, status "completed", with validation accuracy, FLOPs and params), hands back the state
 * the previous round's proposal saved, and stops when the budget is spent or the strategy
 * returns no candidate. Every candidate is scored before the next round is planned, as when
 * all of a round's jobs have finished.
 *
 * Stricter than the coordinator in one way: a proposal that breaks the Strategy contract (more
 * than `count` candidates, a wrong canonical hash, a repeat of an earlier or same-round class)
 * throws instead of being recorded.
 */
export async function runCampaign(options: RunCampaignOptions): Promise<CampaignRun> {
  const { strategySpec, seed, budget, roundSize } = options;
  positiveInteger(budget, "budget");
  positiveInteger(roundSize, "roundSize");
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${String(seed)}`);
  const resolved = options.target ? await resolveSearchTarget(options.target) : undefined;
  const space = resolved?.space ?? options.space ?? nasBench201SearchSpace;
  const score = resolved?.score ?? options.score;
  if (!score) throw new Error("runCampaign needs a score function or a target");
  const create = options.createStrategy ?? createPackageStrategy;

  const started = performance.now();
  // The coordinator casts the stored JSON the same way; createStrategy rejects unknown kinds.
  const strategy = create(strategySpec as unknown as StrategySpec, space);
  const history: Observation[] = [];
  const seen = new Set<string>();
  const evaluations: CampaignEvaluation[] = [];
  const rounds: CampaignRound[] = [];
  let state: Uint8Array | undefined;
  let exhausted = false;

  for (let roundIndex = 0; evaluations.length < budget; roundIndex += 1) {
    const roundStarted = performance.now();
    // The coordinator's propose step (packages/strategies/src/propose-round.ts).
    const proposal = await proposeRound({
      strategy,
      campaignSeed: seed,
      roundIndex,
      roundSize,
      remaining: evaluationsLeft(budget, history),
      // A fresh copy each round, as the coordinator rebuilds it from the database.
      history: history.map((observation) => ({ ...observation })),
      ...(state !== undefined ? { state } : {}),
    });
    const proposed = performance.now();
    const { candidates, count } = proposal;
    if (candidates.length === 0) {
      exhausted = true;
      break;
    }
    if (candidates.length > count) {
      throw new Error(
        `${strategy.kind} round ${roundIndex}: proposed ${candidates.length} candidates, asked for ${count}`,
      );
    }
    for (const candidate of candidates) {
      const hash = space.canonicalHash(space.parse(candidate.archString));
      if (hash !== candidate.canonicalHash) {
        throw new Error(
          `${strategy.kind} round ${roundIndex}: wrong canonicalHash for ${candidate.archString}`,
        );
      }
      if (seen.has(hash)) {
        throw new Error(
          `${strategy.kind} round ${roundIndex}: ${candidate.archString} repeats a class already proposed`,
        );
      }
      seen.add(hash);
    }

    for (const candidate of candidates) {
      const result = await score(candidate.archString);
      evaluations.push({
        index: evaluations.length,
        round: roundIndex,
        archString: candidate.archString,
        canonicalHash: candidate.canonicalHash,
        validationAccuracy: result.validationAccuracy,
        testAccuracy: result.testAccuracy,
        flops: result.flops,
        params: result.params,
        ...(candidate.prediction ? { prediction: candidate.prediction } : {}),
      });
      // The test accuracy stays out of what the strategy sees.
      history.push({
        archString: candidate.archString,
        canonicalHash: candidate.canonicalHash,
        status: "completed",
        validationAccuracy: result.validationAccuracy,
        flops: result.flops,
        params: result.params,
      });
    }
    const finished = performance.now();
    state = proposal.state;
    rounds.push({
      index: roundIndex,
      requested: count,
      proposed: candidates.length,
      proposeMs: proposed - roundStarted,
      evaluateMs: finished - proposed,
      wallMs: finished - roundStarted,
      ...(proposal.state !== undefined ? { stateBytes: proposal.state.byteLength } : {}),
      ...(proposal.info !== undefined ? { info: proposal.info } : {}),
    });
  }

  return {
    strategySpec,
    strategyKind: strategy.kind,
    seed,
    budget,
    roundSize,
    evaluations,
    rounds,
    wallMs: performance.now() - started,
    exhausted,
  };
}
