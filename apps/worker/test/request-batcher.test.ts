import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { RequestBatcher } from "../src/request-batcher.ts";

/** A run function that records its batches and answers each input with its double. */
function recordingRun(options: { failOn?: number; gate?: Promise<void> } = {}) {
  const batches: number[][] = [];
  const run = async (inputs: number[]) => {
    batches.push([...inputs]);
    await options.gate;
    if (options.failOn !== undefined && inputs.includes(options.failOn)) {
      throw new Error(`bad input ${options.failOn}`);
    }
    return inputs.map((input) => input * 2);
  };
  return { batches, run };
}

describe("RequestBatcher", () => {
  test("requests made in the same turn form one batch; each gets its own output", async () => {
    const { batches, run } = recordingRun();
    const batcher = new RequestBatcher({ run });
    const outputs = await Promise.all([1, 2, 3, 4].map((n) => batcher.request(n)));
    assert.deepEqual(outputs, [2, 4, 6, 8]);
    assert.deepEqual(batches, [[1, 2, 3, 4]]);
  });

  test("requests made while maxInFlight batches run wait, and go together in the next batch", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const { batches, run } = recordingRun({ gate });
    const batcher = new RequestBatcher({ run, maxInFlight: 1 });
    const first = batcher.request(1);
    await new Promise((resolve) => setImmediate(resolve)); // batch [1] is running now
    const later = [2, 3, 4].map((n) => batcher.request(n));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(batches, [[1]], "nothing else runs while the first batch is in flight");
    open();
    assert.deepEqual(await Promise.all([first, ...later]), [2, 4, 6, 8]);
    assert.deepEqual(batches, [[1], [2, 3, 4]]);
  });

  test("batches are at most maxBatchSize long", async () => {
    const { batches, run } = recordingRun();
    const batcher = new RequestBatcher({ run, maxBatchSize: 3, maxInFlight: 4 });
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => batcher.request(n)));
    assert.deepEqual(batches, [[1, 2, 3], [4, 5, 6], [7]]);
  });

  test("a failed batch runs each input alone: only the bad input's request fails", async () => {
    const { batches, run } = recordingRun({ failOn: 3 });
    const batcher = new RequestBatcher({ run });
    const settled = await Promise.allSettled([1, 2, 3, 4].map((n) => batcher.request(n)));
    assert.deepEqual(
      settled.map((s) => (s.status === "fulfilled" ? s.value : (s.reason as Error).message)),
      [2, 4, "bad input 3", 8],
    );
    assert.deepEqual(batches, [[1, 2, 3, 4], [1], [2], [3], [4]]);
  });

  test("a shared failure (e.g. the database is unreachable) fails every request at once", async () => {
    const { batches, run } = recordingRun({ failOn: 3 });
    const batcher = new RequestBatcher({ run, isSharedFailure: () => true });
    const settled = await Promise.allSettled([1, 2, 3].map((n) => batcher.request(n)));
    assert.ok(settled.every((s) => s.status === "rejected"));
    assert.deepEqual(batches, [[1, 2, 3]], "not run again input by input");
  });

  test("a run that answers the wrong number of outputs fails over to inputs alone", async () => {
    const batches: number[][] = [];
    const batcher = new RequestBatcher<number, number>({
      run: async (inputs) => {
        batches.push(inputs);
        return inputs.length > 1 ? [0] : inputs;
      },
    });
    assert.deepEqual(await Promise.all([5, 6].map((n) => batcher.request(n))), [5, 6]);
    assert.deepEqual(batches, [[5, 6], [5], [6]]);
  });
});
