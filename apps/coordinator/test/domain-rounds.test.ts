// The coordinator plans rounds of an enas-6-table campaign inside the table: its strategies see
// the space restricted to the table's cells (the evaluator's domain), and a candidate outside it
// is never enqueued. Processors called in-process on the real Postgres and Redis; evaluations
// are the real table evaluator's.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createLogger } from "@nasvae/config";
import { recordEvaluation } from "@nasvae/db";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { evaluatorDomain, evaluatorFingerprint } from "@nasvae/evaluators";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
import { createEvaluator } from "@nasvae/train-evaluator";
import type { Job } from "bullmq";
import { campaignSpace, outsideDomain } from "../src/campaign-space.ts";
import { Coordinator } from "../src/coordinator.ts";

const evaluator = { kind: "enas-6-table", dataset: "cifar10" } as const;

/** Just what the coordinator's processors read of a BullMQ job. */
function fakeJob(queueName: string, name: string, data: object): Job {
  return {
    id: `test-${name}`,
    name,
    queueName,
    data,
    getIgnoredChildrenFailures: async () => ({}),
  } as unknown as Job;
}

describe("coordinator on an evaluator's domain (enas-6-table)", () => {
  let database: TestDatabase;
  let redis: TestQueues;
  let coordinator: Coordinator;
  let fingerprint: string;
  let table: ReadonlySet<string>;

  before(async () => {
    database = await createTestDatabase("coordinator_domain");
    redis = await createTestQueues("coordinator-domain");
    coordinator = new Coordinator({
      db: database.db,
      queues: redis.queues,
      connection: redis.connection,
      log: createLogger("coordinator", "silent"),
    });
    fingerprint = await evaluatorFingerprint(evaluator);
    table = new Set((await evaluatorDomain(evaluator)) ?? []);
  });
  after(async () => {
    await coordinator.close();
    await redis.cleanup();
    await database.drop();
  });

  /** Drives a campaign to its end: each round's trials get the table's result, then its round job. */
  async function runCampaign(strategy: string, budget: number, roundSize: number) {
    const campaign = await database.db.campaign.create({
      data: {
        name: `domain ${strategy}`,
        searchSpace: "enas-macro-6",
        evaluator,
        evaluatorFingerprint: fingerprint,
        strategy: { kind: strategy },
        budgetEvaluations: budget,
        roundSize,
        seed: 7,
      },
    });
    const scorer = createEvaluator(evaluator, {}, "enas-macro-6");
    await coordinator.startCampaign(
      fakeJob("campaigns", "start-campaign", { campaignId: campaign.id }),
    );
    for (let index = 0; ; index += 1) {
      const round = await database.db.round.findUnique({
        where: { campaignId_index: { campaignId: campaign.id, index } },
        include: { trials: { include: { architecture: true } } },
      });
      if (!round) break;
      for (const trial of round.trials.filter((t) => t.status === "pending")) {
        const result = await scorer.evaluate(trial.architecture.archString);
        await recordEvaluation(database.db, {
          trialId: trial.id,
          architectureId: trial.architectureId,
          evaluatorFingerprint: fingerprint,
          evaluator,
          result: { ...result, metrics: result.metrics as Record<string, string> },
          worker: "test",
          durationMs: 1,
        });
      }
      await coordinator.finishRound(
        fakeJob("rounds", "round", {
          campaignId: campaign.id,
          roundId: round.id,
          roundIndex: index,
        }),
      );
    }
    return database.db.campaign.findUniqueOrThrow({
      where: { id: campaign.id },
      include: { trials: { include: { architecture: true, evaluation: true } } },
    });
  }

  for (const strategy of ["random", "evolution", "local-search", "nsga2"]) {
    test(`${strategy}: every proposed cell is a table row, and the campaign completes`, async () => {
      const campaign = await runCampaign(strategy, 24, 8);
      assert.equal(campaign.status, "completed", campaign.error ?? "");
      assert.equal(campaign.trials.length, 24);
      for (const trial of campaign.trials) {
        assert.ok(
          table.has(trial.architecture.archString),
          `${trial.architecture.archString} is in the table`,
        );
        assert.equal(trial.status, "completed");
        assert.equal(trial.evaluation?.testAccuracy, null);
      }
    });
  }

  test("outsideDomain names the candidates the evaluator cannot score", async () => {
    const searched = await campaignSpace("enas-macro-6", evaluator);
    assert.equal(searched.space.size, table.size);
    const [inside] = table;
    const outside = "[[1],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,0]]";
    assert.equal(table.has(outside), false);
    assert.deepEqual(outsideDomain(searched, [inside as string, outside, "not a cell"]), [
      outside,
      "not a cell",
    ]);
    // The whole space where the evaluator scores every cell: nothing is outside.
    const whole = await campaignSpace("enas-macro-6", { kind: "train", dataset: "cifar10" });
    assert.equal(whole.domain, null);
    assert.deepEqual(outsideDomain(whole, [outside]), []);
    assert.equal(await campaignSpace("enas-macro-6", evaluator), searched, "cached per process");
  });
});
