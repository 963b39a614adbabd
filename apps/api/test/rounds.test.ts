// GET /campaigns/:id/rounds, and the fields the pages need from the other campaign routes
// (architectureId, the best cell's graph), on rounds written with the db repositories.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, beforeEach, describe, test } from "node:test";
import { createRound, finishRound, recordEvaluation } from "@nasvae/db";
import type { TestDatabase } from "@nasvae/db/testing";
import type { FastifyInstance } from "fastify";
import { startTestApi, type TestApi } from "./support.ts";

const API_KEY = `nasvae_test_${randomBytes(16).toString("hex")}`;
const auth = { authorization: `Bearer ${API_KEY}` };

const evaluator = { kind: "nas-bench-201", dataset: "cifar10" };
const body = {
  name: "rounds test",
  searchSpace: "nas-bench-201",
  evaluator,
  strategy: { kind: "graph-vae" },
  budget: { evaluations: 20, perRound: 3 },
  seed: 1,
};

// Three cells; the last one has two `none` edges.
const cells = {
  best: "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|",
  pool: "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|",
  sparse: "|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|",
  shared:
    "|skip_connect~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|avg_pool_3x3~0|skip_connect~1|nor_conv_3x3~2|",
  waiting:
    "|nor_conv_1x1~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|skip_connect~1|nor_conv_1x1~2|",
};
const candidate = (archString: string) => ({ archString, canonicalHash: `hash:${archString}` });

interface RoundBody {
  index: number;
  status: string;
  strategy: string;
  proposed: number;
  counts: Record<string, number>;
  createdAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  info: Record<string, unknown>;
  trials: Record<string, unknown>[];
}

describe("GET /campaigns/:id/rounds", () => {
  let database: TestDatabase;
  let server: FastifyInstance;
  let api: TestApi;

  before(async () => {
    api = await startTestApi("api_rounds", { API_KEYS: API_KEY });
    ({ database, server } = api);
  });
  after(async () => {
    await api.close();
  });
  beforeEach(async () => {
    await database.db.campaign.deleteMany();
  });

  async function postCampaign(name: string): Promise<{ id: string; fingerprint: string }> {
    const response = await server.inject({
      method: "POST",
      url: "/campaigns",
      headers: auth,
      payload: { ...body, name },
    });
    assert.equal(response.statusCode, 201, response.body);
    const { id } = response.json();
    const row = await database.db.campaign.findUniqueOrThrow({ where: { id } });
    return { id, fingerprint: row.evaluatorFingerprint };
  }

  async function evaluate(
    trial: { id: string; architectureId: string },
    fingerprint: string,
    validationAccuracy: number,
    flops: number,
  ) {
    await recordEvaluation(database.db, {
      trialId: trial.id,
      architectureId: trial.architectureId,
      evaluatorFingerprint: fingerprint,
      evaluator,
      result: { validationAccuracy, testAccuracy: validationAccuracy + 3, flops, params: 1e6 },
      worker: "w1",
      durationMs: 5,
    });
  }

  /**
   * A campaign with a closed random round 0 (two results, one failure) and a running model
   * round 1 (one result, one answered from another campaign's evaluation, one pending).
   */
  async function campaignWithRounds() {
    const campaign = await postCampaign("with rounds");
    const other = await postCampaign("other");
    const common = { searchSpace: "nas-bench-201", evaluatorFingerprint: campaign.fingerprint };
    const earlier = await createRound(database.db, {
      ...common,
      campaignId: other.id,
      index: 0,
      strategy: "random",
      candidates: [candidate(cells.shared)],
    });
    await evaluate(
      earlier.trials[0] as { id: string; architectureId: string },
      other.fingerprint,
      88,
      90e6,
    );

    const round0 = await createRound(database.db, {
      ...common,
      campaignId: campaign.id,
      index: 0,
      strategy: "random",
      candidates: [candidate(cells.pool), candidate(cells.sparse), candidate(cells.best)],
      info: { phase: "random", proposeMs: 4 },
    });
    const trial = (archString: string, trials: typeof round0.trials) => {
      const found = trials.find((t) => t.archString === archString);
      assert.ok(found, archString);
      return found;
    };
    await evaluate(trial(cells.pool, round0.trials), campaign.fingerprint, 84.5, 40e6);
    await evaluate(trial(cells.best, round0.trials), campaign.fingerprint, 91.6, 153e6);
    await finishRound(
      database.db,
      round0.id,
      new Map([[trial(cells.sparse, round0.trials).id, "worker crashed"]]),
    );

    const round1 = await createRound(database.db, {
      ...common,
      campaignId: campaign.id,
      index: 1,
      strategy: "graph-vae",
      candidates: [
        { ...candidate(cells.shared), prediction: { accuracy: 87.25, flops: 95e6 } },
        { ...candidate(cells.waiting), prediction: { accuracy: 86, flops: 60e6 } },
      ],
      info: {
        phase: "model",
        backend: "wasm",
        trainMs: 120,
        searchMs: 30,
        proposeMs: 170,
        loss: { total: 0.5, kl: 0.1 },
        chosenEdits: [1, 2],
        chosenFromNeighbours: 1,
      },
    });
    return { campaign, round0, round1, trial };
  }

  test("lists each round with its counts, timings, chosen info fields and trials", async () => {
    const { campaign, round0, round1, trial } = await campaignWithRounds();
    const response = await server.inject({
      method: "GET",
      url: `/campaigns/${campaign.id}/rounds`,
    });
    assert.equal(response.statusCode, 200, response.body);
    const rounds = response.json().items as RoundBody[];
    assert.deepEqual(
      rounds.map((r) => r.index),
      [0, 1],
    );
    const [first, second] = rounds as [RoundBody, RoundBody];

    assert.equal(first.status, "completed");
    assert.equal(first.strategy, "random");
    assert.equal(first.proposed, 3);
    assert.deepEqual(first.counts, { completed: 2, pending: 0, failed: 1, cached: 0 });
    assert.equal(first.createdAt, round0.createdAt.toISOString());
    assert.ok(first.finishedAt);
    assert.equal(
      first.durationMs,
      new Date(first.finishedAt).getTime() - new Date(first.createdAt).getTime(),
    );
    assert.deepEqual(first.info, {
      phase: "random",
      backend: null,
      proposeMs: 4,
      trainMs: null,
      searchMs: null,
      loss: null,
      chosenEdits: null,
      chosenFromNeighbours: null,
      chosenSnapDistances: null,
    });
    const failed = trial(cells.sparse, round0.trials);
    assert.deepEqual(
      first.trials.find((t) => t.id === failed.id),
      {
        id: failed.id,
        architectureId: failed.architectureId,
        architecture: cells.sparse,
        status: "failed",
        cached: false,
        predictedAccuracy: null,
        predictedFlops: null,
        validationAccuracy: null,
        testAccuracy: null,
        flops: null,
        params: null,
        error: "worker crashed",
        finishedAt: first.trials.find((t) => t.id === failed.id)?.finishedAt,
      },
    );
    const measured = first.trials.find((t) => t.architecture === cells.best);
    assert.equal(measured?.status, "completed");
    assert.equal(measured?.validationAccuracy, 91.6);
    assert.equal(measured?.testAccuracy, 94.6);
    assert.equal(measured?.flops, 153e6);
    assert.equal(measured?.predictedAccuracy, null);

    assert.equal(second.status, "running");
    assert.equal(second.strategy, "graph-vae");
    assert.equal(second.finishedAt, null);
    assert.equal(second.durationMs, null);
    assert.deepEqual(second.counts, { completed: 1, pending: 1, failed: 0, cached: 1 });
    assert.deepEqual(second.info, {
      phase: "model",
      backend: "wasm",
      proposeMs: 170,
      trainMs: 120,
      searchMs: 30,
      loss: 0.5,
      chosenEdits: [1, 2],
      chosenFromNeighbours: 1,
      chosenSnapDistances: null,
    });
    const cached = second.trials.find((t) => t.architecture === cells.shared);
    assert.deepEqual(
      [cached?.status, cached?.cached, cached?.predictedAccuracy, cached?.validationAccuracy],
      ["completed", true, 87.25, 88],
    );
    const pending = second.trials.find((t) => t.architecture === cells.waiting);
    assert.deepEqual(
      [pending?.status, pending?.predictedAccuracy, pending?.predictedFlops, pending?.flops],
      ["pending", 86, 60e6, null],
    );
    assert.equal(pending?.id, trial(cells.waiting, round1.trials).id);
    assert.equal(pending?.finishedAt, null);
  });

  test("fromRound lists the rounds from that index on", async () => {
    const { campaign } = await campaignWithRounds();
    const later = await server.inject({
      method: "GET",
      url: `/campaigns/${campaign.id}/rounds?fromRound=1`,
    });
    assert.equal(later.statusCode, 200, later.body);
    assert.deepEqual(
      later.json().items.map((r: RoundBody) => r.index),
      [1],
    );
    const none = await server.inject({
      method: "GET",
      url: `/campaigns/${campaign.id}/rounds?fromRound=5`,
    });
    assert.deepEqual(none.json(), { items: [] });
    for (const query of ["fromRound=-1", "fromRound=abc", "limit=3"]) {
      const response = await server.inject({
        method: "GET",
        url: `/campaigns/${campaign.id}/rounds?${query}`,
      });
      assert.equal(response.statusCode, 400, query);
      assert.match(response.json().message, /querystring\./);
    }
  });

  test("a campaign without rounds has none; unknown or malformed ids are 404", async () => {
    const { id } = await postCampaign("empty");
    const empty = await server.inject({ method: "GET", url: `/campaigns/${id}/rounds` });
    assert.equal(empty.statusCode, 200);
    assert.deepEqual(empty.json(), { items: [] });
    for (const missing of ["6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab", "not-a-uuid"]) {
      const response = await server.inject({ method: "GET", url: `/campaigns/${missing}/rounds` });
      assert.equal(response.statusCode, 404);
      assert.deepEqual(response.json(), {
        statusCode: 404,
        error: "Not Found",
        message: `campaign ${missing} not found`,
      });
    }
  });

  test("best, evaluations and the Pareto front name the architecture; best carries its cell graph", async () => {
    const { campaign, round0 } = await campaignWithRounds();
    const bestTrial = round0.trials.find((t) => t.archString === cells.best);
    const view = (await server.inject({ method: "GET", url: `/campaigns/${campaign.id}` })).json();
    assert.equal(view.best.architecture, cells.best);
    assert.equal(view.best.architectureId, bestTrial?.architectureId);
    assert.equal(view.best.graph.nodes.length, 4);
    assert.deepEqual(view.best.graph.edges, [
      { from: 0, to: 1, op: "nor_conv_3x3" },
      { from: 0, to: 2, op: "nor_conv_3x3" },
      { from: 1, to: 2, op: "nor_conv_3x3" },
      { from: 0, to: 3, op: "skip_connect" },
      { from: 1, to: 3, op: "nor_conv_3x3" },
      { from: 2, to: 3, op: "nor_conv_1x1" },
    ]);

    const trials = await database.db.trial.findMany({ where: { campaignId: campaign.id } });
    const idOf = new Map(trials.map((t) => [t.archString, t.architectureId]));
    const evaluations = (
      await server.inject({ method: "GET", url: `/campaigns/${campaign.id}/evaluations` })
    ).json();
    assert.equal(evaluations.total, 3);
    for (const item of evaluations.items) {
      assert.equal(item.architectureId, idOf.get(item.architecture), item.architecture);
    }
    const front = (
      await server.inject({ method: "GET", url: `/campaigns/${campaign.id}/pareto-front` })
    ).json();
    assert.ok(front.items.length > 0);
    for (const item of front.items) {
      assert.equal(item.architectureId, idOf.get(item.architecture), item.architecture);
    }
  });
});
