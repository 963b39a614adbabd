import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRandom, nasBench201SearchSpace as space } from "@nasvae/search-space";
import {
  createStrategy,
  type Observation,
  type ProposeRequest,
  roundSeed,
  type Strategy,
} from "@nasvae/strategies";
import { runCampaign, type Score } from "../../bench/lib/run-campaign.ts";
import { reportedAfter } from "../../bench/lib/search-metrics.ts";

/** Deterministic stand-in for the table: distinct-ish numbers from the string. */
function fakeScore(archString: string): Score {
  let hash = 0;
  for (const char of archString) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  return {
    validationAccuracy: 80 + (hash % 1000) / 100,
    testAccuracy: 70 + (hash % 997) / 100,
    flops: hash % 100_000,
    params: hash % 1000,
  };
}

/** Random search that records every request it gets and saves a counter as its state. */
class RecordingStrategy implements Strategy {
  readonly kind = "recording";
  readonly requests: (Omit<ProposeRequest, "rng" | "history"> & { history: Observation[] })[] = [];
  private readonly inner = createStrategy({ kind: "random" }, space);

  async propose(request: ProposeRequest) {
    this.requests.push({
      count: request.count,
      roundIndex: request.roundIndex,
      history: request.history.map((observation) => ({ ...observation })),
      ...(request.state ? { state: request.state } : {}),
    });
    const proposal = await this.inner.propose(request);
    return { ...proposal, state: Uint8Array.of(request.roundIndex + 1) };
  }
}

describe("runCampaign (the bench's in-process coordinator)", () => {
  test("spends the budget exactly, in rounds of min(roundSize, what is left)", async () => {
    const run = await runCampaign({
      strategySpec: { kind: "random" },
      seed: 3,
      budget: 25,
      roundSize: 10,
      score: fakeScore,
    });
    assert.equal(run.evaluations.length, 25);
    assert.deepEqual(
      run.rounds.map((round) => round.requested),
      [10, 10, 5],
    );
    assert.deepEqual(
      run.evaluations.map((evaluation) => evaluation.index),
      [...Array(25).keys()],
    );
    assert.equal(run.exhausted, false);
    assert.equal(new Set(run.evaluations.map((evaluation) => evaluation.canonicalHash)).size, 25);
  });

  test("seeds round k with roundSeed(seed, k), as the coordinator does", async () => {
    const run = await runCampaign({
      strategySpec: { kind: "random" },
      seed: 11,
      budget: 20,
      roundSize: 10,
      score: fakeScore,
    });
    const strategy = createStrategy({ kind: "random" }, space);
    const first = await strategy.propose({
      count: 10,
      history: [],
      rng: createRandom(roundSeed(11, 0)),
      roundIndex: 0,
    });
    const second = await strategy.propose({
      count: 10,
      history: first.candidates.map((candidate) => ({ ...candidate, status: "completed" })),
      rng: createRandom(roundSeed(11, 1)),
      roundIndex: 1,
    });
    assert.deepEqual(
      run.evaluations.map((evaluation) => evaluation.archString),
      [...first.candidates, ...second.candidates].map((candidate) => candidate.archString),
    );
  });

  test("hands back the previous round's state and the whole history, without test accuracy", async () => {
    const strategy = new RecordingStrategy();
    const run = await runCampaign({
      strategySpec: { kind: "recording" },
      seed: 5,
      budget: 23,
      roundSize: 10,
      score: fakeScore,
      createStrategy: () => strategy,
    });
    assert.deepEqual(
      strategy.requests.map((request) => [request.roundIndex, request.count]),
      [
        [0, 10],
        [1, 10],
        [2, 3],
      ],
    );
    assert.equal(strategy.requests[0]?.state, undefined);
    assert.deepEqual(strategy.requests[1]?.state, Uint8Array.of(1));
    assert.deepEqual(strategy.requests[2]?.state, Uint8Array.of(2));
    const last = strategy.requests[2];
    assert.ok(last);
    assert.equal(last.history.length, 20);
    last.history.forEach((observation, i) => {
      const evaluation = run.evaluations[i];
      assert.ok(evaluation);
      assert.deepEqual(observation, {
        archString: evaluation.archString,
        canonicalHash: evaluation.canonicalHash,
        status: "completed",
        validationAccuracy: evaluation.validationAccuracy,
        flops: evaluation.flops,
        params: evaluation.params,
      });
      assert.equal("testAccuracy" in observation, false);
    });
    assert.deepEqual(
      run.rounds.map((round) => round.stateBytes),
      [1, 1, 1],
    );
  });

  test("rejects a proposal that repeats a class or asks for more than count", async () => {
    const repeat: Strategy = {
      kind: "repeat",
      async propose({ count }) {
        const cell = space.parse(
          "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|",
        );
        const candidate = {
          archString: space.format(cell),
          canonicalHash: space.canonicalHash(cell),
        };
        return { candidates: Array.from({ length: Math.min(count, 2) }, () => candidate) };
      },
    };
    await assert.rejects(
      runCampaign({
        strategySpec: { kind: "repeat" },
        seed: 1,
        budget: 5,
        roundSize: 5,
        score: fakeScore,
        createStrategy: () => repeat,
      }),
      /repeats a class/,
    );
  });

  test("stops early when the strategy has nothing left to propose", async () => {
    const empty: Strategy = { kind: "empty", propose: async () => ({ candidates: [] }) };
    const run = await runCampaign({
      strategySpec: { kind: "empty" },
      seed: 1,
      budget: 5,
      roundSize: 5,
      score: fakeScore,
      createStrategy: () => empty,
    });
    assert.equal(run.exhausted, true);
    assert.equal(run.evaluations.length, 0);
  });

  test("an unknown strategy kind is an error, not a crash of the process", async () => {
    await assert.rejects(
      runCampaign({
        strategySpec: { kind: "no-such-strategy" },
        seed: 1,
        budget: 5,
        roundSize: 5,
        score: fakeScore,
      }),
      /unknown strategy kind/,
    );
  });
});

describe("reportedAfter", () => {
  test("picks the best validation accuracy among the first n, never looking further", () => {
    const evaluation = (index: number, validationAccuracy: number, testAccuracy: number) => ({
      index,
      round: 0,
      archString: `a${index}`,
      canonicalHash: `h${index}`,
      validationAccuracy,
      testAccuracy,
      flops: 1,
      params: 1,
    });
    const evaluations = [evaluation(0, 80, 90), evaluation(1, 85, 88), evaluation(2, 99, 70)];
    assert.equal(reportedAfter(evaluations, 2)?.testAccuracy, 88);
    assert.equal(reportedAfter(evaluations, 3)?.testAccuracy, 70);
    assert.equal(reportedAfter([], 3), undefined);
  });
});
