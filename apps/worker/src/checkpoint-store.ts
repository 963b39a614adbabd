// Training checkpoints on disk (CHECKPOINT_DIR): one file per trial and evaluator fingerprint.
// The bytes come from @nasvae/training (saveTrainingState); this only keeps them. It lives in
// the worker, not in the evaluator, because the worker alone knows what names a checkpoint (the
// job's trial) and when it is no longer wanted (the job recorded, cancelled or failed for good).
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "@nasvae/config";
import type { EvaluationCheckpoints } from "@nasvae/evaluators";

/** What names one evaluation's checkpoint. */
export interface CheckpointKey {
  readonly trialId: string;
  readonly evaluatorFingerprint: string;
}

// Ids and fingerprints come from job payloads: only these characters reach a file name.
const SAFE = /^[A-Za-z0-9_-]{1,128}$/;

export class CheckpointStore {
  /**
   * @param dir CHECKPOINT_DIR (created on first save)
   * @param every CHECKPOINT_EVERY_EPOCHS: epochs between saves; 0 turns checkpoints off
   */
  constructor(
    readonly dir: string,
    readonly every: number,
  ) {}

  /** The file of one evaluation's checkpoint. Throws for ids unfit for a file name. */
  path({ trialId, evaluatorFingerprint }: CheckpointKey): string {
    if (!SAFE.test(trialId) || !SAFE.test(evaluatorFingerprint)) {
      throw new Error(`checkpoint key unfit for a file name: ${trialId} ${evaluatorFingerprint}`);
    }
    return join(this.dir, `${trialId}-${evaluatorFingerprint}.ckpt`);
  }

  /** The last checkpoint of `key`, or undefined when there is none. */
  async load(key: CheckpointKey): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  /**
   * Replaces the checkpoint of `key` atomically: the bytes go to a temporary file in the same
   * folder, are flushed to disk, and the file is renamed over the old one, so a crash leaves
   * either the old checkpoint or the new one, never half of one.
   */
  async save(key: CheckpointKey, bytes: Uint8Array): Promise<void> {
    const target = this.path(key);
    await mkdir(this.dir, { recursive: true });
    const temporary = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      const file = await open(temporary, "w");
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  /** Deletes the checkpoint of `key`; true when there was one. */
  async delete(key: CheckpointKey): Promise<boolean> {
    const path = this.path(key);
    try {
      await rm(path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
  }

  /**
   * What a training evaluation of `key` is lent (EvaluationContext.checkpoints), or undefined
   * when checkpoints are off. Resumes and discarded checkpoints are logged.
   */
  forEvaluation(key: CheckpointKey, log: Logger): EvaluationCheckpoints | undefined {
    if (this.every <= 0) return undefined;
    return {
      every: this.every,
      load: () => this.load(key),
      save: (bytes) => this.save(key, bytes),
      onResume: (epoch) => log.info({ epoch }, "training resumed from checkpoint"),
      onDiscard: (reason) => log.warn({ reason }, "checkpoint discarded; training from epoch 1"),
    };
  }
}
