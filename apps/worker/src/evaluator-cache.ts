import { setTimeout as sleep } from "node:timers/promises";
import type { EvaluatorSpec } from "@nasvae/contracts";
import type { Evaluator } from "@nasvae/evaluators";
import { createEvaluator } from "@nasvae/train-evaluator";

export interface EvaluatorCacheOptions {
  /**
   * Tests and benchmarks only (EVALUATION_DELAY_MS): every evaluation takes this much longer,
   * a stand-in for training time, so that a fault can strike in the middle of one. Default 0.
   */
  delayMs?: number;
  /** DATASETS_DIR: where train evaluators find mounted datasets (EvaluatorOptions.datasetsDir). */
  datasetsDir?: string;
  /** NASVAE_WASM_THREADS: threads train evaluators use on WebAssembly (default 1). */
  wasmThreads?: number;
}

/**
 * One evaluator per distinct spec and search space for the life of the process, so that e.g. the
 * NAS-Bench-201 table is loaded once, not once per job. The space is part of the key: a train
 * spec has one fingerprint whatever it trains, but builds a different network for each space.
 */
export class EvaluatorCache {
  private readonly evaluators = new Map<string, Evaluator>();

  constructor(private readonly options: EvaluatorCacheOptions = {}) {}

  /**
   * The evaluator of `spec` for cells of `searchSpace` (the evaluate job's). Throws
   * EvaluatorSpecError (a permanent error) when the kind cannot score that space.
   */
  get(fingerprint: string, spec: EvaluatorSpec, searchSpace: string): Evaluator {
    const key = `${searchSpace}\n${fingerprint}`;
    let evaluator = this.evaluators.get(key);
    if (!evaluator) {
      const { datasetsDir, wasmThreads } = this.options;
      const created = createEvaluator(
        spec,
        {
          ...(datasetsDir === undefined ? {} : { datasetsDir }),
          ...(wasmThreads === undefined ? {} : { wasmThreads }),
        },
        searchSpace,
      );
      evaluator = delayed(created, this.options.delayMs ?? 0);
      this.evaluators.set(key, evaluator);
    }
    return evaluator;
  }
}

function delayed(evaluator: Evaluator, delayMs: number): Evaluator {
  if (delayMs <= 0) return evaluator;
  return {
    async evaluate(archString, context) {
      const result = await evaluator.evaluate(archString, context);
      await sleep(delayMs);
      return result;
    },
    fingerprint: () => evaluator.fingerprint(),
  };
}
