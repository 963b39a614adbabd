/** Deployment settings of evaluators (not part of the spec: they do not change results). */
export interface EvaluatorOptions {
  /** Path of nb201.csv; defaults to the project's data/nasbench/nb201.csv. */
  readonly nb201TablePath?: string;
  /** Path of enas6.csv (enas-6-table evaluator); defaults to the project's data/enas6/enas6.csv. */
  readonly enas6TablePath?: string;
  /**
   * Directory of mounted datasets (DATASETS_DIR: CIFAR-10/100 binary files) for train
   * evaluators; default: @nasvae/datasets' own default. Generated datasets need none.
   */
  readonly datasetsDir?: string;
  /**
   * Threads the WebAssembly backend trains on, set when train evaluators first load TensorFlow.js
   * (NASVAE_WASM_THREADS); default 1. Native backends ignore it.
   */
  readonly wasmThreads?: number;
}
