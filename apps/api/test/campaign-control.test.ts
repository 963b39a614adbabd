// POST /campaigns/:id/pause, /resume and /cancel: status transitions, answers, and what each does
// to the queue, on the real Postgres and Redis. Rounds are written with the db repositories and
// enqueued as the planner does (a round job whose children are evaluate jobs); no worker runs,
// except where a test takes a job itself to hold it as a worker would.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, beforeEach, describe, test } from "node:test";
import {
  CANCELLED_TRIAL_ERROR,
  createRound,
  finishCampaign,
  markCampaignRunning,
  recordEvaluation,
} from "@nasvae/db";
import type { TestDatabase } from "@nasvae/db/testing";
import { evaluateJob, queueNames, roundJob, startCampaignJob } from "@nasvae/jobs";
import type { TestQueues } from "@nasvae/jobs/testing";
import { Worker } from "bullmq";
import type { FastifyInstance } from "fastify";
import { startTestApi, type TestApi } from "./support.ts";

const API_KEY = `nasvae_test_${randomBytes(16).toString("hex")}`;
const auth = { authorization: `Bearer ${API_KEY}` };
const evaluator = { kind: "nas-bench-201", dataset: "cifar10" };

describe("campaign control routes", () => {
  let database: TestDatabase;
  let redis: TestQueues;
  let server: FastifyInstance;
  let api: TestApi;

  before(async () => {
    api = await startTestApi("api_control", { API_KEYS: API_KEY });
    ({ database, redis, server } = api);
  });
  after(async () => {
    await api.close();
  });
  beforeEach(async () => {
    await database.db.campaign.deleteMany();
    for (const queue of Object.values(redis.queues.byName)) await queue.obliterate({ force: true });
  });

  async function postCampaign(name = "control"): Promise<string> {
    const response = await server.inject({
      method: "POST",
      url: "/campaigns",
      headers: auth,
      payload: {
        name,
        searchSpace: "nas-bench-201",
        evaluator,
        strategy: { kind: "random" },
        budget: { evaluations: 20, perRound: 3 },
        seed: 1,
      },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json().id;
  }

  /** Round `index` with three fresh candidates, enqueued as the planner does; its trial ids. */
  async function enqueueRound(campaignId: string, index = 0): Promise<string[]> {
    const campaign = await database.db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    const round = await createRound(database.db, {
      campaignId,
      index,
      strategy: "random",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: campaign.evaluatorFingerprint,
      candidates: [0, 1, 2].map((i) => ({
        archString: `cell-${campaignId}-${index}-${i}`,
        canonicalHash: `hash-${campaignId}-${index}-${i}`,
      })),
    });
    const parent = { campaignId, roundId: round.id, roundIndex: index };
    await redis.queues.flows.add({
      name: roundJob.name,
      queueName: roundJob.queue,
      data: parent,
      opts: { ...roundJob.options, jobId: roundJob.jobId(parent) },
      children: round.trials.map((trial) => {
        const payload = {
          campaignId,
          roundId: round.id,
          trialId: trial.id,
          architectureId: trial.architectureId,
          searchSpace: "nas-bench-201",
          archString: trial.archString,
          evaluator,
          evaluatorFingerprint: campaign.evaluatorFingerprint,
        };
        return {
          name: evaluateJob.name,
          queueName: evaluateJob.queue,
          data: payload,
          opts: { ...evaluateJob.options, jobId: evaluateJob.jobId(payload) },
        };
      }),
    });
    return round.trials.map((trial) => trial.id);
  }

  /** A campaign the coordinator has started, with round 0 in the queue. */
  async function runningCampaign(name = "running") {
    const id = await postCampaign(name);
    await markCampaignRunning(database.db, id);
    // The coordinator has consumed the start job: it is no longer waiting.
    await redis.queues.byName.campaigns.remove(startCampaignJob.jobId({ campaignId: id }));
    const trialIds = await enqueueRound(id);
    return { id, trialIds };
  }

  function control(id: string, action: "pause" | "resume" | "cancel", headers = auth) {
    return server.inject({ method: "POST", url: `/campaigns/${id}/${action}`, headers });
  }

  /** The jobs of a campaign in the queue, by jobId, with their states. */
  async function jobsOf(campaignId: string, trialIds: string[]): Promise<Record<string, string>> {
    const states: Record<string, string> = {};
    const ids: [keyof typeof redis.queues.byName, string][] = [
      [queueNames.campaigns, startCampaignJob.jobId({ campaignId })],
      [queueNames.rounds, `campaign-${campaignId}-round-0`],
      ...trialIds.map((trialId): [typeof queueNames.evaluations, string] => [
        queueNames.evaluations,
        `trial-${trialId}`,
      ]),
    ];
    for (const [queue, jobId] of ids) {
      const job = await redis.queues.byName[queue].getJob(jobId);
      if (job) states[jobId] = await job.getState();
    }
    for (const job of await redis.queues.byName.campaigns.getJobs()) {
      if (job.data.campaignId === campaignId && job.id) states[job.id] = await job.getState();
    }
    return states;
  }

  test("pause and resume a running campaign: running -> paused -> running, jobs untouched", async () => {
    const { id, trialIds } = await runningCampaign();
    const before = await jobsOf(id, trialIds);

    const paused = await control(id, "pause");
    assert.equal(paused.statusCode, 200, paused.body);
    assert.equal(paused.json().status, "paused");
    assert.equal(paused.json().finishedAt, null);
    assert.deepEqual(await jobsOf(id, trialIds), before, "a pause removes nothing");
    const listed = await server.inject({ method: "GET", url: "/campaigns?status=paused" });
    assert.deepEqual(
      listed.json().items.map((item: { id: string }) => item.id),
      [id],
    );

    const again = await control(id, "pause");
    assert.equal(again.statusCode, 409);
    assert.match(
      again.json().message,
      /is paused \(already paused\); only a queued or running campaign can be paused/,
    );

    const resumed = await control(id, "resume");
    assert.equal(resumed.statusCode, 200, resumed.body);
    assert.equal(resumed.json().status, "running");
    const after = await jobsOf(id, trialIds);
    // The evaluate and round jobs as they were, plus one resume job for the coordinator.
    const resumeJobs = Object.keys(after).filter((jobId) => jobId.includes("-resume-"));
    assert.equal(resumeJobs.length, 1);
    assert.match(resumeJobs[0] as string, new RegExp(`^campaign-${id}-resume-\\d+$`));
    const job = await redis.queues.byName.campaigns.getJob(resumeJobs[0] as string);
    assert.equal(job?.name, "resume-campaign");
    assert.equal(job?.data.campaignId, id);
    for (const [jobId, state] of Object.entries(before)) assert.equal(after[jobId], state);

    const twice = await control(id, "resume");
    assert.equal(twice.statusCode, 409);
    assert.match(twice.json().message, /is running; only a paused campaign can be resumed/);
  });

  test("a campaign paused before it started resumes as queued; its waiting start job starts it", async () => {
    const id = await postCampaign();
    const paused = await control(id, "pause");
    assert.equal(paused.statusCode, 200, paused.body);
    assert.equal(paused.json().status, "paused");
    const resumed = await control(id, "resume");
    assert.equal(resumed.statusCode, 200, resumed.body);
    assert.equal(resumed.json().status, "queued");
    assert.equal(resumed.json().startedAt, null);
    // The start job still waits: no resume job is needed.
    assert.deepEqual(await jobsOf(id, []), { [`campaign-${id}`]: "waiting" });

    // Once the start job has run (it found the campaign paused and did nothing), a resume job.
    await control(id, "pause");
    await redis.queues.byName.campaigns.remove(`campaign-${id}`);
    await control(id, "resume");
    const jobs = Object.keys(await jobsOf(id, []));
    assert.equal(jobs.length, 1);
    assert.match(jobs[0] as string, /-resume-\d+$/);
  });

  test("resume wakes the campaign's held (delayed) evaluate jobs, and no other campaign's", async () => {
    const { id } = await runningCampaign("held");
    const other = await runningCampaign("other");
    await control(id, "pause");
    await control(other.id, "pause");
    // Workers hold a paused campaign's jobs by moving them to delayed: one job of each, so.
    const heldTrial = await database.db.trial.findFirstOrThrow({ where: { campaignId: id } });
    const otherTrial = await database.db.trial.findFirstOrThrow({
      where: { campaignId: other.id },
    });
    for (const trial of [heldTrial, otherTrial]) {
      const job = await redis.queues.byName.evaluations.getJob(`trial-${trial.id}`);
      await job?.remove();
      await redis.queues.byName.evaluations.add(
        "evaluate",
        { campaignId: trial.campaignId },
        {
          jobId: `trial-${trial.id}`,
          delay: 60_000,
        },
      );
    }

    assert.equal((await control(id, "resume")).statusCode, 200);
    const woken = await redis.queues.byName.evaluations.getJob(`trial-${heldTrial.id}`);
    assert.equal(await woken?.getState(), "waiting");
    const untouched = await redis.queues.byName.evaluations.getJob(`trial-${otherTrial.id}`);
    assert.equal(await untouched?.getState(), "delayed", "the other (paused) campaign's job");
  });

  test("cancel a running campaign: cancelled, pending trials failed, its jobs gone, another campaign's kept", async () => {
    const { id, trialIds } = await runningCampaign("to cancel");
    const other = await runningCampaign("other");
    const otherBefore = await jobsOf(other.id, other.trialIds);
    assert.equal(Object.keys(otherBefore).length, 4); // round + 3 evaluate jobs
    // One trial of the cancelled campaign completed before the cancel: it stays completed.
    const [done, ...pending] = trialIds as [string, ...string[]];
    const doneTrial = await database.db.trial.findUniqueOrThrow({ where: { id: done } });
    await recordEvaluation(database.db, {
      trialId: done,
      architectureId: doneTrial.architectureId,
      evaluatorFingerprint: "fp",
      evaluator,
      result: { validationAccuracy: 80, testAccuracy: 81, flops: 1e6, params: 1e5 },
      worker: "w",
      durationMs: 1,
    });

    const response = await control(id, "cancel");
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.status, "cancelled");
    assert.ok(body.finishedAt);
    assert.equal(body.progress.evaluations, 1);
    assert.equal(body.progress.pending, 0);
    assert.equal(body.progress.failed, 2);

    const trials = await database.db.trial.findMany({ where: { campaignId: id } });
    for (const trial of trials) {
      if (trial.id === done) assert.equal(trial.status, "completed");
      else {
        assert.equal(trial.status, "failed");
        assert.equal(trial.error, CANCELLED_TRIAL_ERROR);
        assert.ok(trial.finishedAt);
      }
    }
    const round = await database.db.round.findFirstOrThrow({ where: { campaignId: id } });
    assert.equal(round.status, "completed");
    assert.ok(round.finishedAt);

    assert.deepEqual(await jobsOf(id, pending), {}, "every job of the cancelled campaign is gone");
    assert.deepEqual(await jobsOf(other.id, other.trialIds), otherBefore, "the other's are kept");
    const otherRow = await database.db.campaign.findUniqueOrThrow({ where: { id: other.id } });
    assert.equal(otherRow.status, "running");

    // A result recorded after the cancel is kept as an evaluation but counts for nobody here.
    const late = await database.db.trial.findUniqueOrThrow({ where: { id: pending[0] } });
    const recorded = await recordEvaluation(database.db, {
      trialId: late.id,
      architectureId: late.architectureId,
      evaluatorFingerprint: "fp",
      evaluator,
      result: { validationAccuracy: 90, testAccuracy: 91, flops: 1e6, params: 1e5 },
      worker: "w",
      durationMs: 1,
    });
    assert.equal(recorded.inserted, true);
    assert.equal(recorded.trialCompleted, false);
    const after = await database.db.trial.findUniqueOrThrow({ where: { id: late.id } });
    assert.equal(after.status, "failed");
    assert.equal(after.evaluationId, null);

    for (const action of ["cancel", "pause", "resume"] as const) {
      const refused = await control(id, action);
      assert.equal(refused.statusCode, 409, `${action} after cancel`);
    }
    assert.match(
      (await control(id, "cancel")).json().message,
      /is cancelled \(already cancelled\); only a queued or running or paused campaign can be cancelled/,
    );
  });

  test("cancel while a worker runs one of its evaluations: the others are removed, that one is left to finish", async () => {
    const { id, trialIds } = await runningCampaign();
    // Take one evaluate job as a worker does (active, locked).
    const connection = redis.connection.duplicate();
    const worker = new Worker(queueNames.evaluations, null, { connection, prefix: redis.prefix });
    try {
      const token = randomUUID();
      const taken = await worker.getNextJob(token);
      assert.ok(taken);
      const response = await control(id, "cancel");
      assert.equal(response.statusCode, 200, response.body);
      const left = await jobsOf(id, trialIds);
      assert.deepEqual(left, {
        [`campaign-${id}-round-0`]: "waiting-children",
        [taken.id as string]: "active",
      });
    } finally {
      await worker.close();
      connection.disconnect();
    }
  });

  test("cancel a queued or a paused campaign; its start job is removed", async () => {
    const queued = await postCampaign("queued");
    const response = await control(queued, "cancel");
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().status, "cancelled");
    assert.deepEqual(await jobsOf(queued, []), {});

    const { id, trialIds } = await runningCampaign("paused");
    await control(id, "pause");
    const cancelled = await control(id, "cancel");
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    assert.equal(cancelled.json().status, "cancelled");
    assert.deepEqual(await jobsOf(id, trialIds), {});
  });

  test("ended campaigns: 409 for every action, naming the status", async () => {
    for (const status of ["completed", "failed"] as const) {
      const id = await postCampaign(status);
      await markCampaignRunning(database.db, id);
      await finishCampaign(database.db, id, status, status === "failed" ? "boom" : undefined);
      for (const action of ["pause", "resume", "cancel"] as const) {
        const response = await control(id, action);
        assert.equal(response.statusCode, 409, `${action} ${status}`);
        assert.equal(response.json().error, "Conflict");
        assert.match(response.json().message, new RegExp(`campaign ${id} is ${status}; only a`));
      }
      const row = await database.db.campaign.findUniqueOrThrow({ where: { id } });
      assert.equal(row.status, status);
    }
  });

  test("unknown or malformed ids: 404; without a key: 401, and nothing changes", async () => {
    const id = await postCampaign();
    for (const action of ["pause", "resume", "cancel"] as const) {
      const unknown = await control(randomUUID(), action);
      assert.equal(unknown.statusCode, 404);
      assert.match(unknown.json().message, /campaign [0-9a-f-]{36} not found/);
      const malformed = await control("not-a-uuid", action);
      assert.equal(malformed.statusCode, 404);
      const anonymous = await control(id, action, {} as typeof auth);
      assert.equal(anonymous.statusCode, 401);
      const wrongKey = await control(id, action, { authorization: "Bearer nope-nope-nope-nope" });
      assert.equal(wrongKey.statusCode, 401);
    }
    const row = await database.db.campaign.findUniqueOrThrow({ where: { id } });
    assert.equal(row.status, "queued");
  });

  test("the endpoints are in the OpenAPI document, as writes needing a key", async () => {
    const document = (await server.inject({ method: "GET", url: "/docs/json" })).json();
    for (const action of ["pause", "resume", "cancel"]) {
      const operation = document.paths[`/campaigns/{id}/${action}`]?.post;
      assert.ok(operation, action);
      assert.deepEqual(operation.security, [{ apiKey: [] }]);
      assert.deepEqual(operation.tags, ["campaigns"]);
      for (const code of ["200", "401", "404", "409"]) assert.ok(operation.responses[code]);
    }
    // The campaign schema is a named component that the responses refer to.
    const response = document.paths["/campaigns/{id}"].get.responses["200"];
    assert.equal(response.content["application/json"].schema.$ref, "#/components/schemas/Campaign");
    assert.match(JSON.stringify(document.components.schemas.Campaign), /"paused"/);
  });
});
