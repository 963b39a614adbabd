import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BenchStrategySpec, CampaignRun } from "./run-campaign.ts";
import type { SearchTarget } from "./search-target.ts";

/**
 * One campaign: a strategy and a seed (plus the budget, round size, and what is searched).
 * Independent of all others.
 */
export interface CampaignTask {
  id: number;
  /** The bench's name of the strategy setting (e.g. "graph-vae:no-steps"). */
  strategyName: string;
  strategySpec: BenchStrategySpec;
  /** Space and table; runCampaign resolves it in the child process. */
  target: SearchTarget;
  seed: number;
  budget: number;
  roundSize: number;
}

export interface CampaignRequest {
  task: CampaignTask;
}

export type CampaignReply = { id: number; run: CampaignRun } | { id: number; error: string };

export interface CampaignOutcome {
  task: CampaignTask;
  run?: CampaignRun;
  error?: string;
  /** The task was never sent to a child: the time limit had passed (`error` says so too). */
  notStarted?: boolean;
  /** Parent-side time from sending the task to its answer. */
  elapsedMs: number;
}

const WORKER = fileURLToPath(new URL("./campaign-worker.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Runs the tasks in `jobs` child processes (node --import tsx campaign-worker.ts), each taking
 * the next task when it finishes one. A child that dies fails its task and is replaced. Children's
 * output goes to this process's stderr, so stdout stays the report.
 */
export function runCampaignsInChildren(
  tasks: readonly CampaignTask[],
  jobs: number,
  onOutcome?: (outcome: CampaignOutcome, done: number, total: number) => void,
  /**
   * Asked before each task starts; false: that task and all after it are not run, and come back
   * with `notStarted` set (a time limit). Default: always start.
   */
  mayStart: () => boolean = () => true,
): Promise<CampaignOutcome[]> {
  const queue = [...tasks];
  const outcomes: CampaignOutcome[] = [];
  if (tasks.length === 0) return Promise.resolve(outcomes);

  return new Promise((resolve) => {
    const inFlight = new Map<ChildProcess, { task: CampaignTask; sentAt: number }>();

    const record = (outcome: CampaignOutcome) => {
      outcomes.push(outcome);
      onOutcome?.(outcome, outcomes.length, tasks.length);
      if (outcomes.length === tasks.length) {
        resolve(outcomes.sort((a, b) => a.task.id - b.task.id));
      }
    };

    const next = (child: ChildProcess) => {
      if (queue.length > 0 && !mayStart()) {
        for (const task of queue.splice(0)) {
          record({ task, error: "not started (time limit)", notStarted: true, elapsedMs: 0 });
        }
      }
      const task = queue.shift();
      if (!task) {
        inFlight.delete(child);
        if (child.connected) child.disconnect();
        return;
      }
      inFlight.set(child, { task, sentAt: performance.now() });
      child.send({ task } satisfies CampaignRequest);
    };

    const start = () => {
      const child = fork(WORKER, [], {
        cwd: ROOT,
        execArgv: ["--import", "tsx"],
        serialization: "advanced",
        stdio: ["ignore", "pipe", "pipe", "ipc"],
      });
      child.stdout?.pipe(process.stderr, { end: false });
      child.stderr?.pipe(process.stderr, { end: false });
      child.on("message", (reply: CampaignReply) => {
        const current = inFlight.get(child);
        if (!current || current.task.id !== reply.id) return;
        const elapsedMs = performance.now() - current.sentAt;
        inFlight.delete(child);
        record(
          "run" in reply
            ? { task: current.task, run: reply.run, elapsedMs }
            : { task: current.task, error: reply.error, elapsedMs },
        );
        next(child);
      });
      child.on("exit", (code, signal) => {
        const current = inFlight.get(child);
        if (!current) return;
        inFlight.delete(child);
        record({
          task: current.task,
          error: `campaign worker exited (code ${code}, signal ${signal}) while running it`,
          elapsedMs: performance.now() - current.sentAt,
        });
        if (queue.length > 0) next(start());
      });
      return child;
    };

    for (let i = 0; i < Math.min(jobs, tasks.length); i += 1) next(start());
  });
}
