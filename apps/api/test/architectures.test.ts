import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createCampaign, createRound, recordEpoch, recordEvaluation } from "@nasvae/db";
import type { TestDatabase } from "@nasvae/db/testing";
import type { FastifyInstance } from "fastify";
import { startTestApi, type TestApi } from "./support.ts";

const CELL =
  "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|";

describe("GET /architectures/:id", () => {
  let database: TestDatabase;
  let server: FastifyInstance;
  let api: TestApi;

  before(async () => {
    api = await startTestApi("api_architectures");
    ({ database, server } = api);
  });
  after(async () => {
    await api.close();
  });

  test("shows the cell, its evaluations with their learning curves, unfinished runs and the campaigns that proposed it", async () => {
    const { db } = database;
    const evaluator = { kind: "train", dataset: "tiny" };
    const campaign = await createCampaign(db, {
      name: "curves",
      searchSpace: "nas-bench-201",
      evaluator,
      evaluatorFingerprint: "fp-train",
      strategy: { kind: "graph-vae" },
      budgetEvaluations: 10,
      roundSize: 1,
      seed: 1,
    });
    const round = await createRound(db, {
      campaignId: campaign.id,
      index: 0,
      strategy: "graph-vae",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: "fp-train",
      candidates: [{ archString: CELL, canonicalHash: "hash-1", prediction: { accuracy: 71.5 } }],
    });
    const trial = round.trials[0];
    assert.ok(trial);
    const worker = "worker-1";
    for (const [epoch, accuracy] of [
      [1, 40],
      [2, 55],
      [3, 61],
    ] as const) {
      await recordEpoch(db, {
        architectureId: trial.architectureId,
        evaluatorFingerprint: "fp-train",
        epoch,
        trainLoss: 2 / epoch,
        validationAccuracy: accuracy,
        learningRate: 0.1 / epoch,
        durationMs: 1000,
        worker,
      });
    }
    await recordEvaluation(db, {
      trialId: trial.id,
      architectureId: trial.architectureId,
      evaluatorFingerprint: "fp-train",
      evaluator,
      result: { validationAccuracy: 61, testAccuracy: 60.5, flops: 1000, params: 10 },
      worker,
      durationMs: 3000,
    });
    // Another evaluator's run of the same cell, interrupted after one epoch.
    await recordEpoch(db, {
      architectureId: trial.architectureId,
      evaluatorFingerprint: "fp-other",
      epoch: 1,
      validationAccuracy: 30,
      durationMs: 900,
      worker: "worker-2",
    });

    const response = await server.inject({
      method: "GET",
      url: `/architectures/${trial.architectureId}`,
    });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.architecture, CELL);
    assert.equal(body.searchSpace, "nas-bench-201");
    assert.equal(body.canonicalHash, "hash-1");
    assert.equal(body.graph.nodes.length, 4);
    assert.equal(body.evaluations.length, 1);
    const [evaluation] = body.evaluations;
    assert.deepEqual(evaluation.evaluator, evaluator);
    assert.equal(evaluation.validationAccuracy, 61);
    assert.deepEqual(
      evaluation.learningCurve.map((p: { epoch: number; validationAccuracy: number }) => [
        p.epoch,
        p.validationAccuracy,
      ]),
      [
        [1, 40],
        [2, 55],
        [3, 61],
      ],
    );
    assert.equal(evaluation.learningCurve[0].trainLoss, 2);
    assert.equal(evaluation.learningCurve[2].validationLoss, null);
    assert.deepEqual(body.unfinishedRuns.length, 1);
    assert.equal(body.unfinishedRuns[0].evaluatorFingerprint, "fp-other");
    assert.equal(body.unfinishedRuns[0].learningCurve[0].worker, "worker-2");
    assert.deepEqual(body.trials, [
      {
        campaignId: campaign.id,
        campaignName: "curves",
        round: 0,
        status: "completed",
        cached: false,
        predictedAccuracy: 71.5,
        proposedAt: trial.createdAt.toISOString(),
      },
    ]);
  });

  test("404 for an unknown or malformed id", async () => {
    for (const id of ["00000000-0000-0000-0000-000000000000", "not-a-uuid"]) {
      const response = await server.inject({ method: "GET", url: `/architectures/${id}` });
      assert.equal(response.statusCode, 404);
      assert.match(response.json().message, /architecture .* not found/);
    }
  });
});
