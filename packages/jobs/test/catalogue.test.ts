import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  evaluateJob,
  InvalidPayloadError,
  parsePayload,
  roundJob,
  startCampaignJob,
} from "../src/index.ts";
import { createTestQueues, type TestQueues } from "../src/testing.ts";

describe("job catalogue", () => {
  let redis: TestQueues;
  before(async () => {
    redis = await createTestQueues("catalogue");
  });
  after(async () => {
    await redis.cleanup();
  });

  test("adding the same campaign twice yields one job, with the catalogue's options", async () => {
    const campaignId = randomUUID();
    const first = await redis.queues.add(startCampaignJob, { campaignId });
    const second = await redis.queues.add(startCampaignJob, { campaignId });
    assert.equal(first.id, `campaign-${campaignId}`);
    assert.equal(second.id, first.id);
    const counts = await redis.queues.byName.campaigns.getJobCounts();
    assert.equal(
      Object.values(counts).reduce((a, b) => a + b, 0),
      1,
    );
    const job = await redis.queues.byName.campaigns.getJob(first.id as string);
    assert.equal(job?.opts.attempts, startCampaignJob.options.attempts);
  });

  test("jobIds are derived from the payload and contain no ':'", () => {
    const campaignId = randomUUID();
    const trialId = randomUUID();
    const ids = [
      startCampaignJob.jobId({ campaignId }),
      roundJob.jobId({ campaignId, roundId: randomUUID(), roundIndex: 3 }),
      evaluateJob.jobId({
        campaignId,
        roundId: randomUUID(),
        trialId,
        architectureId: randomUUID(),
        searchSpace: "nas-bench-201",
        archString: "x",
        evaluator: {},
        evaluatorFingerprint: "f",
      }),
    ];
    assert.deepEqual(ids, [
      `campaign-${campaignId}`,
      `campaign-${campaignId}-round-3`,
      `trial-${trialId}`,
    ]);
    for (const id of ids) assert.ok(!id.includes(":"));
  });

  test("consumers reject malformed payloads with a message naming the field", () => {
    assert.deepEqual(
      parsePayload(startCampaignJob, { campaignId: "0b6f0c1e-2f1a-4c1e-9a51-5d1a8e0f2b3c" }),
      {
        campaignId: "0b6f0c1e-2f1a-4c1e-9a51-5d1a8e0f2b3c",
      },
    );
    assert.throws(
      () => parsePayload(startCampaignJob, { campaignId: "nope" }),
      (error: Error) => error instanceof InvalidPayloadError && /\/campaignId/.test(error.message),
    );
    assert.throws(() => parsePayload(roundJob, { campaignId: randomUUID() }), InvalidPayloadError);
  });
});
