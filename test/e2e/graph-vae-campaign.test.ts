// The graph-VAE strategy through the real queues: a campaign completes, every model-based round
// saves its weights, and a coordinator killed mid-campaign resumes from the last snapshot.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { decodeSnapshot } from "@nasvae/graph-vae";
import { entryPoints } from "../../scripts/lib/local-stack.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";

const strategy = { kind: "graph-vae", pretrainSteps: 150, finetuneSteps: 20 };

describe("a graph-vae campaign end to end", () => {
  let env: TestStack;
  before(async () => {
    env = await startTestStack("e2e-gvae");
  });
  after(async () => {
    await env.stop();
  });

  test("budget 40 completes through the queues; a killed coordinator resumes from the last snapshot", async () => {
    const { base, apiKey, database, stack, output } = env;
    const response = await fetch(`${base}/campaigns`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        searchSpace: "nas-bench-201",
        evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
        strategy,
        budget: { evaluations: 40, perRound: 10 },
        seed: 5,
      }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    const { id } = (await response.json()) as { id: string };

    // Once round 1's model is saved, kill the coordinator (no goodbye) and start another.
    const deadline = Date.now() + 120_000;
    while ((await database.db.modelSnapshot.count()) < 1) {
      assert.ok(Date.now() < deadline, output.slice(-30).join("\n"));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const coordinator = stack.processes.find((p) => p.name === "coordinator");
    coordinator?.child.kill("SIGKILL");
    await coordinator?.exited;
    stack.spawn("coordinator-2", entryPoints.coordinator);

    let campaign: {
      status: string;
      progress: { evaluations: number };
      model: unknown;
      error: string | null;
    };
    for (;;) {
      campaign = (await (await fetch(`${base}/campaigns/${id}`)).json()) as typeof campaign;
      if (!["queued", "running"].includes(campaign.status)) break;
      assert.ok(
        Date.now() < deadline + 120_000,
        `still ${campaign.status}\n${output.slice(-30).join("\n")}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(campaign.status, "completed", campaign.error ?? "");
    assert.equal(campaign.progress.evaluations, 40);

    const trials = await database.db.trial.findMany({
      where: { campaignId: id },
      include: { round: true },
    });
    assert.equal(new Set(trials.map((t) => t.architectureId)).size, 40);
    // Round 0 is random; every later round was proposed by the model, with its predictions.
    for (const trial of trials) {
      assert.equal(
        trial.predictedAccuracy !== null,
        trial.round.index > 0,
        `round ${trial.round.index}`,
      );
    }

    // One snapshot per model-based round, each trained on from the previous one: warm starts,
    // also across the coordinator's restart.
    const snapshots = await database.db.modelSnapshot.findMany({
      where: { campaignId: id },
      orderBy: { roundIndex: "asc" },
    });
    assert.deepEqual(
      snapshots.map((s) => s.roundIndex),
      [1, 2, 3],
    );
    snapshots.forEach((snapshot, i) => {
      const { header } = decodeSnapshot(new Uint8Array(snapshot.state));
      assert.equal(header.steps, strategy.pretrainSteps + strategy.finetuneSteps * (i + 1));
    });
    const { backend, ...model } = campaign.model as { backend: string };
    assert.ok(["wasm", "tensorflow", "cpu"].includes(backend), backend);
    assert.deepEqual(model, {
      strategy: "graph-vae",
      snapshots: 3,
      lastRound: 3,
      sizeBytes: snapshots[2]?.sizeBytes,
    });
  });
});
