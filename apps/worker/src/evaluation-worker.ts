import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "@nasvae/config";
import { type EvaluatorSpec, validateEvaluatorSpec } from "@nasvae/contracts";
import {
  type AdmittedEvaluationInput,
  cancelPendingTrial,
  completeTrialsFromCache,
  type Database,
  type Evaluation,
  type EvaluationState,
  type EvaluationStateKey,
  findEvaluationStates,
  isDatabaseUnavailable,
  type RecordEvaluationInput,
  type RecordedEvaluation,
  recordAdmittedEvaluations,
  recordEvaluations,
} from "@nasvae/db";
import { isPermanentEvaluationError } from "@nasvae/evaluators";
import { evaluateJob, jobLogBindings, parsePayload, queueNames } from "@nasvae/jobs";
import type { Readiness } from "@nasvae/metrics";
import { type Job, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { isBackendOutOfMemory } from "./backend-failure.ts";
import { admitEvaluation, type HoldDelay, type SkippedEvaluation } from "./campaign-gate.ts";
import { type CheckpointKey, CheckpointStore } from "./checkpoint-store.ts";
import { type ComputedResult, DatabaseOutagePolicy } from "./database-outage.ts";
import { EvaluatorCache } from "./evaluator-cache.ts";
import { type EvaluationLabels, WorkerMetrics } from "./metrics.ts";
import { RequestBatcher } from "./request-batcher.ts";
import { TrainingCancelledError } from "./training-cancelled.ts";
import { TrainingProgress } from "./training-progress.ts";

export interface EvaluationWorkerOptions {
  db: Database;
  /** A connection for BullMQ (maxRetriesPerRequest: null). */
  connection: Redis;
  prefix: string;
  /** Jobs run at once. Default: 1 (one GPU, one child network). */
  concurrency?: number;
  /** Recorded with every evaluation this worker computes. */
  name: string;
  log: Logger;
  /** Where its evaluation metrics go. Default: a registry of its own (nobody scrapes it). */
  metrics?: WorkerMetrics;
  /** How long jobs of a paused campaign are held between looks (campaign-gate.ts). */
  holdDelay?: HoldDelay;
  /**
   * Reliability settings (docs/reliability.md): how long a job retries while Postgres is
   * unreachable before it is postponed (default 5 min); BullMQ's job lock and stalled-job check
   * (defaults 30 s) and how often a job may be recovered from a dead worker (default 3); a
   * test-only delay added to every evaluation (default 0).
   */
  databaseRetryTimeoutMs?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  maxStalledCount?: number;
  evaluationDelayMs?: number;
  /** DATASETS_DIR: where train evaluators find mounted datasets (docs/training.md). */
  datasetsDir?: string;
  /** NASVAE_WASM_THREADS: threads of the WebAssembly backend (docs/training.md). Default 1. */
  wasmThreads?: number;
  /**
   * CHECKPOINT_DIR and CHECKPOINT_EVERY_EPOCHS: where training evaluations keep checkpoints and
   * how often they save (docs/reliability.md). Defaults: nasvae-checkpoints under the OS temp
   * dir, every epoch; 0 epochs: no checkpoints.
   */
  checkpointDir?: string;
  checkpointEveryEpochs?: number;
  /**
   * Called once the worker has stopped after its tensor backend ran out of memory (the job that
   * hit it failed, an attempt spent): the process should exit so that it is replaced
   * (backend-failure.ts). Meanwhile readiness() says not ready.
   */
  onBackendFailure?: (error: Error) => void;
}

/** What an evaluate job returns (also kept by BullMQ as the job's return value). */
export interface EvaluateJobResult {
  trialId: string;
  evaluationId: string;
  validationAccuracy: number;
  /** null where the evaluator has no test figure (enas-6-table). */
  testAccuracy: number | null;
  flops: number;
  params: number;
  /** True when the result existed already and nothing was computed. */
  cached: boolean;
}

/**
 * Consumes the `evaluations` queue: evaluates an architecture and records the result. The row is
 * committed before the job is acknowledged, and a result that exists already is never computed
 * again, so redelivered or duplicate jobs leave exactly one evaluation row.
 */
export class EvaluationWorker {
  private worker: Worker | undefined;
  private readonly evaluators: EvaluatorCache;
  private readonly outage: DatabaseOutagePolicy;
  /** Concurrent jobs read their state, and record their results, in shared statements. */
  private readonly stateReads: RequestBatcher<EvaluationStateKey, EvaluationState>;
  private readonly records: RequestBatcher<RecordEvaluationInput, RecordedEvaluation>;
  /** Table lookups' results, recorded with the gate's checks (lookUpAndRecord). */
  private readonly admittedRecords: RequestBatcher<
    AdmittedEvaluationInput,
    RecordedEvaluation | null
  >;
  /** Jobs whose result another job recorded meanwhile: their trials completed from it. */
  private readonly cacheCompletions: RequestBatcher<
    { trialId: string; evaluationId: string },
    undefined
  >;
  readonly metrics: WorkerMetrics;
  readonly checkpoints: CheckpointStore;
  /** Set when the backend ran out of memory: the worker takes no more jobs. */
  private backendFailure: Error | undefined;

  constructor(private readonly options: EvaluationWorkerOptions) {
    this.metrics = options.metrics ?? new WorkerMetrics();
    this.checkpoints = new CheckpointStore(
      options.checkpointDir ?? join(tmpdir(), "nasvae-checkpoints"),
      options.checkpointEveryEpochs ?? 1,
    );
    const { db } = options;
    this.stateReads = new RequestBatcher({
      run: (keys) => findEvaluationStates(db, keys),
      isSharedFailure: isDatabaseUnavailable,
    });
    this.records = new RequestBatcher({
      run: (inputs) => recordEvaluations(db, inputs),
      isSharedFailure: isDatabaseUnavailable,
    });
    this.admittedRecords = new RequestBatcher({
      run: (inputs) => recordAdmittedEvaluations(db, inputs),
      isSharedFailure: isDatabaseUnavailable,
    });
    this.cacheCompletions = new RequestBatcher({
      run: async (items: { trialId: string; evaluationId: string }[]) => {
        await completeTrialsFromCache(db, items);
        return items.map(() => undefined);
      },
      isSharedFailure: isDatabaseUnavailable,
    });
    this.evaluators = new EvaluatorCache({
      delayMs: options.evaluationDelayMs ?? 0,
      ...(options.datasetsDir === undefined ? {} : { datasetsDir: options.datasetsDir }),
      ...(options.wasmThreads === undefined ? {} : { wasmThreads: options.wasmThreads }),
    });
    this.outage = new DatabaseOutagePolicy({
      timeoutMs: options.databaseRetryTimeoutMs ?? 300_000,
      log: options.log,
    });
  }

  start(): void {
    const { connection, prefix, concurrency = 1, log } = this.options;
    // Postgres unreachable: the job is retried in place, then postponed (database-outage.ts).
    const processor = (job: Job, token?: string) =>
      this.outage.run(job, token, () => this.handle(job, token));
    this.worker = new Worker(queueNames.evaluations, processor, {
      connection,
      prefix,
      concurrency,
      name: this.options.name,
      // The lock is renewed while an evaluation runs; a killed worker's job is run again once
      // it has expired and a stalled check (any worker's) has seen it.
      lockDuration: this.options.lockDurationMs ?? 30_000,
      stalledInterval: this.options.stalledIntervalMs ?? 30_000,
      maxStalledCount: this.options.maxStalledCount ?? 3,
    });
    this.worker.on("failed", (job, error) => {
      log.error(
        { ...(job ? jobLogBindings(job) : {}), attempt: job?.attemptsMade, err: error },
        "evaluation failed",
      );
      // Failed for good: its trial ends failed, and its checkpoint is of no more use.
      const final =
        error.name === "UnrecoverableError" ||
        (job?.attemptsMade ?? 0) >= (job?.opts.attempts ?? 1);
      const key = job && checkpointKey(job);
      if (final && key) void this.deleteCheckpoint(key, log);
    });
    this.worker.on("error", (error) => log.error({ err: error }, "worker error"));
  }

  /**
   * Runs one evaluate job as BullMQ delivers it: held if its campaign is paused, skipped if it
   * was cancelled (campaign-gate.ts), otherwise processed.
   */
  async handle(job: Job, token?: string): Promise<EvaluateJobResult | SkippedEvaluation> {
    const log = this.options.log.child(jobLogBindings(job));
    const payload = tryParsePayload(job);
    // A table lookup costs nothing: look it up, then record it with the gate's checks in the same
    // statement. Only a job that statement does not admit goes the way below (reads first).
    let lookupFailure: { error: unknown; labels: EvaluationLabels } | undefined;
    if (payload && isLookup(payload.evaluator)) {
      const outcome = await this.lookUpAndRecord(job, payload, log);
      if (outcome && "error" in outcome) lookupFailure = outcome;
      else if (outcome) return outcome;
    }
    // A well-formed job's reads (the gate's status, its trial, a known result) are one query.
    const state = payload ? await this.stateReads.request(payload) : undefined;
    const skipped = await admitEvaluation(
      this.options.db,
      job,
      token,
      log,
      this.options.holdDelay,
      state?.campaignStatus,
    );
    if (skipped) {
      if (payload) await this.deleteCheckpoint(payload, log);
      return skipped;
    }
    if (lookupFailure) {
      // Admitted: the lookup's own error fails the job (without looking it up a second time).
      const { error, labels } = lookupFailure;
      return this.metrics.measure<EvaluateJobResult>(labels, () => Promise.reject(error));
    }
    try {
      return await this.process(job, state, payload);
    } catch (error) {
      if (!(error instanceof TrainingCancelledError)) throw error;
      if (payload) await this.deleteCheckpoint(payload, log);
      // Cancelled while training: nothing is recorded, the trial ends like the gate ends it.
      const { trialId } = job.data as { trialId: string };
      const ended = await cancelPendingTrial(this.options.db, trialId);
      log.info({ trialEnded: ended, epoch: error.epoch }, "campaign cancelled; evaluation skipped");
      return { trialId, skipped: "campaign cancelled" };
    }
  }

  /**
   * Processes one evaluate job, measured (duration by outcome, evaluations in progress).
   * `state` and `parsed`: what the caller has just read for it and its parsed payload, if it did.
   */
  async process(
    job: Job,
    state?: EvaluationState,
    parsed?: EvaluatePayload,
  ): Promise<EvaluateJobResult> {
    const labels: EvaluationLabels = { evaluator: "unknown", dataset: "unknown" };
    return this.metrics.measure(labels, () => this.evaluate(job, labels, state, parsed));
  }

  private async evaluate(
    job: Job,
    labels: EvaluationLabels,
    state?: EvaluationState,
    parsed?: EvaluatePayload,
  ): Promise<EvaluateJobResult> {
    // Every line about this job names its campaign, round and trial (and the worker, from main).
    const log = this.options.log.child(jobLogBindings(job));
    let payload: EvaluatePayload;
    let spec: EvaluatorSpec;
    try {
      payload = parsed ?? parsePayload(evaluateJob, job.data);
      spec = validateEvaluatorSpec(payload.evaluator);
    } catch (error) {
      // Malformed work stays malformed: retrying cannot help.
      throw new UnrecoverableError((error as Error).message);
    }
    // Labels only from a validated spec: their values stay few, whatever a payload holds.
    labels.evaluator = spec.kind;
    labels.dataset = spec.dataset;

    const { trial, evaluation: known } = state ?? (await this.stateReads.request(payload));
    if (!trial) throw new UnrecoverableError(`trial ${payload.trialId} does not exist`);
    if (trial.status === "completed" && known && known.id === trial.evaluationId) {
      log.info("trial already recorded (duplicate delivery)");
      await this.deleteCheckpoint(payload, log);
      return toResult(trial.id, known, true);
    }

    if (known) {
      await this.cacheCompletions.request({ trialId: trial.id, evaluationId: known.id });
      log.info({ evaluationId: known.id }, "evaluation reused from cache");
      await this.deleteCheckpoint(payload, log);
      return toResult(trial.id, known, true);
    }

    const result = await this.compute(job, payload, spec, log);
    const { durationMs } = result;
    const { evaluation, inserted, trialCompleted } = await this.records.request(
      recordInput(trial.id, payload, result),
    );
    log.info(
      {
        evaluationId: evaluation.id,
        arch: payload.archString,
        validationAccuracy: evaluation.validationAccuracy,
        // Training evaluators: how long it trained, and on which TensorFlow.js backend.
        ...(evaluation.epochs === null
          ? {}
          : {
              epochs: evaluation.epochs,
              stoppedEarly: evaluation.stoppedEarly,
              backend: result.metrics.backend,
              threads: result.metrics.threads,
            }),
        durationMs: Math.round(durationMs),
        inserted,
        // False when the campaign was cancelled meanwhile: the row is kept, the trial stays failed.
        trialCompleted,
      },
      "evaluation recorded",
    );
    await this.deleteCheckpoint(payload, log);
    return toResult(trial.id, evaluation, !inserted);
  }

  /** Runs the evaluation of one job (once per delivery: see DatabaseOutagePolicy). */
  private async compute(
    job: Job,
    payload: EvaluatePayload,
    spec: EvaluatorSpec,
    log: Logger,
  ): Promise<ComputedResult> {
    // Computed once per delivery, even if recording it has to wait for Postgres; a result that
    // a postponed run left with the job is recorded as is.
    const { db } = this.options;
    return this.outage.carriedFor(job).computeOnce(async () => {
      log.info({ arch: payload.archString }, "evaluation started");
      const evaluator = permanentAsUnrecoverable(() =>
        this.evaluators.get(payload.evaluatorFingerprint, spec, payload.searchSpace),
      );
      const started = performance.now();
      // Keyed by trial and fingerprint: a re-delivered job resumes, another spec never does.
      const stored = this.checkpoints.forEvaluation(payload, log);
      const training = new TrainingProgress({
        db,
        job,
        log,
        campaignId: payload.campaignId,
        architectureId: payload.architectureId,
        evaluatorFingerprint: payload.evaluatorFingerprint,
        worker: this.options.name,
        ...(spec.kind === "train" && spec.earlyStopping
          ? { earlyStopping: spec.earlyStopping }
          : {}),
        ...(stored ? { checkpoints: stored } : {}),
      });
      const measured = await evaluator.evaluate(payload.archString, training).catch((error) => {
        // Missing dataset files stay missing: fail the job once, with the message that names them.
        if (isPermanentEvaluationError(error)) throw new UnrecoverableError(error.message);
        // The job fails (and is retried elsewhere); this process is of no more use.
        if (isBackendOutOfMemory(error)) this.stopAfterBackendFailure(error, log);
        throw error;
      });
      if (training.cancelledAfterEpoch !== undefined) {
        throw new TrainingCancelledError(training.cancelledAfterEpoch);
      }
      return {
        validationAccuracy: measured.validationAccuracy,
        testAccuracy: measured.testAccuracy,
        flops: measured.flops,
        params: measured.params,
        metrics: measured.metrics ?? {},
        ...(measured.stoppedEarly === undefined ? {} : { stoppedEarly: measured.stoppedEarly }),
        ...(measured.epochs === undefined ? {} : { epochs: measured.epochs }),
        worker: this.options.name,
        durationMs: performance.now() - started,
      };
    });
  }

  /**
   * A table lookup's whole job in one statement: looks the result up, then records it unless the
   * gate says otherwise (recordAdmittedEvaluations: trial pending, campaign neither paused nor
   * cancelled). Undefined when not admitted, or when the spec is invalid: the caller then reads
   * the job's state and decides as for any job (hold, skip, duplicate delivery, failure). The
   * lookup's error, if it threw, for the caller to fail the job with once the gate admits it.
   */
  private async lookUpAndRecord(
    job: Job,
    payload: EvaluatePayload,
    log: Logger,
  ): Promise<EvaluateJobResult | { error: unknown; labels: EvaluationLabels } | undefined> {
    let spec: EvaluatorSpec;
    try {
      spec = validateEvaluatorSpec(payload.evaluator);
    } catch {
      return undefined;
    }
    const labels: EvaluationLabels = { evaluator: spec.kind, dataset: spec.dataset };
    let result: ComputedResult;
    try {
      result = await this.compute(job, payload, spec, log);
    } catch (error) {
      // The lookup's error fails the job only once the gate has admitted it (a paused
      // campaign's job is held, not failed): the caller reads the state first.
      return { error, labels };
    }
    return this.metrics.measure(labels, async () => {
      const recorded = await this.admittedRecords.request({
        ...recordInput(payload.trialId, payload, result),
        campaignId: payload.campaignId,
      });
      if (!recorded) return undefined;
      const { evaluation, inserted, trialCompleted } = recorded;
      log.info(
        {
          evaluationId: evaluation.id,
          arch: payload.archString,
          validationAccuracy: evaluation.validationAccuracy,
          durationMs: Math.round(result.durationMs),
          inserted,
          trialCompleted,
        },
        inserted ? "evaluation recorded" : "evaluation reused from cache",
      );
      return toResult(payload.trialId, evaluation, !inserted);
    });
  }

  /**
   * Deletes the checkpoint of an evaluation that ended (recorded, cancelled, failed for good).
   * A failure is logged, not thrown: the result matters more than a stale file.
   */
  private async deleteCheckpoint(
    key: CheckpointKey & { readonly evaluator: unknown },
    log: Logger,
  ): Promise<void> {
    // Only a training evaluator saves checkpoints: for a table lookup there is no file to look
    // for, and an `rm` per job was 4% of a worker's CPU under load (bench/README.md, load.ts).
    if (!savesCheckpoints(key.evaluator)) return;
    try {
      if (await this.checkpoints.delete(key)) log.info("checkpoint deleted");
    } catch (error) {
      log.warn({ err: error }, "checkpoint could not be deleted");
    }
  }

  /** Ready unless its backend ran out of memory (GET /readyz of its metrics server). */
  readiness(): Readiness {
    return this.backendFailure
      ? { ready: false, reason: `tensor backend out of memory: ${this.backendFailure.message}` }
      : { ready: true };
  }

  /**
   * After an out-of-memory error of the backend: no more jobs (every later one would fail too),
   * not ready, and, once the failing job has been handed back to BullMQ, onBackendFailure.
   */
  private stopAfterBackendFailure(error: Error, log: Logger): void {
    if (this.backendFailure) return;
    this.backendFailure = error;
    log.fatal({ err: error }, "tensor backend out of memory: taking no more jobs, exiting");
    // Not awaited: close() waits for the running job, whose processor is still on the stack.
    void this.worker
      ?.close()
      .catch((closeError: unknown) => log.error({ err: closeError }, "worker close failed"))
      .then(() => this.options.onBackendFailure?.(error));
  }

  /** Stops taking jobs and waits for the running ones to finish and be recorded. */
  async close(): Promise<void> {
    await this.worker?.close();
  }
}

/** Runs `make`; an error that retrying cannot fix (a kind that cannot score the job's space) fails the job for good. */
function permanentAsUnrecoverable<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (isPermanentEvaluationError(error)) throw new UnrecoverableError(error.message);
    throw error;
  }
}

type EvaluatePayload = ReturnType<typeof parsePayload<typeof evaluateJob.payload>>;

/** The checkpoint key of an evaluate job, or undefined when its data lacks one. */
function checkpointKey(job: Job): (CheckpointKey & { evaluator: unknown }) | undefined {
  const { trialId, evaluatorFingerprint, evaluator } = (job.data ?? {}) as Record<string, unknown>;
  if (typeof trialId !== "string" || typeof evaluatorFingerprint !== "string") return undefined;
  return { trialId, evaluatorFingerprint, evaluator };
}

/** The job's payload, or undefined when it is malformed (evaluate() then fails it for good). */
function tryParsePayload(job: Job): EvaluatePayload | undefined {
  try {
    return parsePayload(evaluateJob, job.data);
  } catch {
    return undefined;
  }
}

function toResult(trialId: string, evaluation: Evaluation, cached: boolean): EvaluateJobResult {
  return {
    trialId,
    evaluationId: evaluation.id,
    validationAccuracy: evaluation.validationAccuracy,
    testAccuracy: evaluation.testAccuracy,
    flops: evaluation.flops,
    params: evaluation.params,
    cached,
  };
}

/** Whether an evaluation of this spec can leave a checkpoint: the `train` evaluator's alone. */
export function savesCheckpoints(evaluator: unknown): boolean {
  return (evaluator as { kind?: unknown } | null)?.kind === "train";
}

/** The record of a computed result for one trial. */
function recordInput(
  trialId: string,
  payload: EvaluatePayload,
  result: ComputedResult,
): RecordEvaluationInput {
  return {
    trialId,
    architectureId: payload.architectureId,
    evaluatorFingerprint: payload.evaluatorFingerprint,
    evaluator: payload.evaluator as Record<string, string>,
    result: {
      validationAccuracy: result.validationAccuracy,
      testAccuracy: result.testAccuracy,
      flops: result.flops,
      params: result.params,
      metrics: result.metrics as Record<string, string>,
      stoppedEarly: result.stoppedEarly ?? false,
      epochs: result.epochs ?? null,
    },
    worker: result.worker,
    durationMs: result.durationMs,
  };
}

/**
 * Whether an evaluation of this spec is a table lookup (nas-bench-201, enas-6-table): it costs
 * nothing to compute, so the worker computes it before the gate's checks, which then go with the
 * record in one statement. Training is gated before it starts.
 */
export function isLookup(evaluator: unknown): boolean {
  const kind = (evaluator as { kind?: unknown } | null)?.kind;
  return kind === "nas-bench-201" || kind === "enas-6-table";
}
