// Fault: the coordinator is killed (SIGKILL) twice in the middle of a campaign, and started again
// each time: once the moment a new round appears in Postgres (while it is still enqueueing that
// round, or just after), once while a round's evaluations are being done by the workers.
// Short job locks (LOCK_DURATION_MS, STALLED_INTERVAL_MS) let the dead coordinator's running job,
// if any, be recovered quickly; the new coordinator's reconciler enqueues what it never did.
// Asserts: the campaign resumes from its last committed round and completes with exactly its
// budget; rounds 0..n-1 each once, no architecture proposed twice in the campaign, one evaluation
// row per architecture, no trial pending or failed.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { entryPoints } from "../../scripts/lib/local-stack.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";
import {
  assertNothingLost,
  postCampaign,
  reportOutput,
  waitFor,
  waitForCampaigns,
} from "./support/faults.ts";

const spec = { strategy: { kind: "evolution" as const }, budget: 50, perRound: 10, seed: 41 };
const settings = {
  EVALUATION_DELAY_MS: "150",
  LOCK_DURATION_MS: "5000",
  STALLED_INTERVAL_MS: "1000",
  RECONCILE_INTERVAL_MS: "2000",
};

describe("the coordinator killed in the middle of a campaign", () => {
  let env: TestStack;

  before(async () => {
    env = await startTestStack("faults-coordinator", 2, settings);
  });
  after(async (context) => {
    reportOutput(env, context.signal.aborted || Boolean(process.exitCode));
    await env?.stop();
  });

  /** Kills the running coordinator without a goodbye and starts another one. */
  async function killCoordinator(next: string): Promise<void> {
    const coordinator = env.stack.processes.find(
      (p) => p.name.startsWith("coordinator") && p.child.exitCode === null,
    );
    assert.ok(coordinator, "a coordinator runs");
    coordinator.child.kill("SIGKILL");
    await coordinator.exited;
    env.stack.spawn(next, entryPoints.coordinator);
  }

  test("each restart resumes from the last committed round; nothing proposed or recorded twice", async () => {
    const id = await postCampaign(env, spec);
    const { db } = env.database;
    const context = () => env.output.slice(-30).join("\n");

    // 1. The moment round 1 is written: the coordinator is still enqueueing it, or just did.
    await waitFor(
      "round 1 to be written",
      async () => (await db.round.count({ where: { campaignId: id, index: 1 } })) === 1,
      60_000,
      context,
      5,
    );
    await killCoordinator("coordinator-2");

    // 2. In the middle of round 3's evaluations, the workers busy.
    await waitFor(
      "round 3 to be half evaluated",
      async () => {
        const round = await db.round.findFirst({
          where: { campaignId: id, index: 3 },
          include: { trials: { select: { status: true } } },
        });
        const done = round?.trials.filter((t) => t.status === "completed").length ?? 0;
        return done >= 3 && done < (round?.trials.length ?? 0);
      },
      60_000,
      context,
      20,
    );
    await killCoordinator("coordinator-3");

    await waitForCampaigns(env, [id], 75_000);
    await assertNothingLost(env, [{ id, budget: spec.budget }]);
    const rounds = await db.round.findMany({
      where: { campaignId: id },
      orderBy: { index: "asc" },
    });
    assert.deepEqual(
      rounds.map((round) => round.proposed),
      [10, 10, 10, 10, 10],
    );
  });
});
