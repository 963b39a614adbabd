/** Deployment settings of evaluators (not part of the spec: they do not change results). */
export interface EvaluatorOptions {
  /** Path of nb201.csv; defaults to the project's data/nasbench/nb201.csv. */
  readonly nb201TablePath?: string;
}
