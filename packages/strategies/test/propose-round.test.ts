import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRandom } from "@nasvae/search-space";
import {
  evaluationsLeft,
  type Observation,
  type ProposeRequest,
  proposeRound,
  roundSeed,
  type Strategy,
} from "../src/index.ts";

/** Records what it is asked and proposes nothing. */
class RecordingStrategy implements Strategy {
  readonly kind = "recording";
  readonly requests: ProposeRequest[] = [];
  async propose(request: ProposeRequest) {
    this.requests.push(request);
    return { candidates: [], state: new Uint8Array([7]), info: { seen: request.history.length } };
  }
}

const observation = (status: Observation["status"], i: number): Observation => ({
  archString: `cell-${i}`,
  canonicalHash: `hash-${i}`,
  status,
});

describe("proposeRound (the coordinator's and the bench's propose step)", () => {
  test("round seeds are 32-bit, distinct per round and fixed by the campaign seed", () => {
    // Stored campaigns replay with these exact values: the formula must not change.
    assert.deepEqual(
      [0, 1, 2].map((round) => roundSeed(11, round)),
      [2654435770, 1013904233, 3668339992],
    );
    assert.equal(roundSeed(0xffffffff, 7) >>> 0, roundSeed(0xffffffff, 7));
  });

  test("only completed observations spend the budget", () => {
    const history = [
      observation("completed", 0),
      observation("failed", 1),
      observation("pending", 2),
      observation("completed", 3),
    ];
    assert.equal(evaluationsLeft(10, history), 8);
    assert.equal(evaluationsLeft(2, history), 0);
  });

  test("asks for min(roundSize, remaining) with the round's seeded rng, history and state", async () => {
    const strategy = new RecordingStrategy();
    const history = [observation("completed", 0)];
    const state = new Uint8Array([1, 2]);
    const round = await proposeRound({
      strategy,
      campaignSeed: 11,
      roundIndex: 2,
      roundSize: 10,
      remaining: 3,
      history,
      state,
    });
    const [request] = strategy.requests;
    assert.ok(request);
    assert.equal(request.count, 3);
    assert.equal(request.roundIndex, 2);
    assert.equal(request.history, history);
    assert.equal(request.state, state);
    assert.equal(request.rng.next(), createRandom(roundSeed(11, 2)).next());
    assert.equal(round.count, 3);
    assert.deepEqual(round.candidates, []);
    assert.deepEqual(round.state, new Uint8Array([7]));
    assert.deepEqual(round.info, { seen: 1 });
    assert.ok(round.proposeMs >= 0);

    await proposeRound({
      strategy,
      campaignSeed: 11,
      roundIndex: 0,
      roundSize: 4,
      remaining: 9,
      history: [],
    });
    assert.equal(strategy.requests[1]?.count, 4);
    assert.equal("state" in (strategy.requests[1] ?? {}), false);
  });
});
