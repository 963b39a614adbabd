// @nasvae/evaluators: scoring an architecture without TensorFlow.js: the tabular evaluators
// (NAS-Bench-201, ENAS-6) and their tables, evaluator fingerprints, domains and the train spec's
// memory estimate. The specs themselves are in @nasvae/contracts; the train evaluator, which
// trains with TensorFlow.js, and createEvaluator are in @nasvae/train-evaluator.
export { canonicalJson } from "./canonical-json.ts";
export { evaluatorDomain, evaluatorKindDomain } from "./domain.ts";
export {
  DEFAULT_ENAS6_TABLE_PATH,
  ENAS6_SPLITS,
  type Enas6Split,
  type Enas6Table,
  type Enas6TableRow,
  enas6TableSha256,
  loadEnas6Table,
  parseEnas6Csv,
} from "./enas-6/table.ts";
export {
  type Enas6EvaluationResult,
  Enas6TabularEvaluator,
} from "./enas-6/tabular-evaluator.ts";
export type {
  EpochProgress,
  EvaluationCheckpoints,
  EvaluationContext,
  EvaluationResult,
  Evaluator,
} from "./evaluator.ts";
export {
  EVALUATOR_FINGERPRINT_VERSION,
  evaluatorFingerprint,
  evaluatorFingerprintPayload,
} from "./fingerprint.ts";
export { nasBench201DataVersion } from "./nas-bench-201/data-version.ts";
export {
  NB201_DATASET_INFO,
  type Nb201AccuracyTable,
  type Nb201DatasetInfo,
  nb201ColumnSource,
} from "./nas-bench-201/datasets.ts";
export {
  DEFAULT_NB201_TABLE_PATH,
  loadNasBench201Table,
  type NasBench201Table,
  NB201_NUMERIC_COLUMNS,
  type Nb201NumericColumn,
  type Nb201TableRow,
  nasBench201TableSha256,
  parseNasBench201Csv,
} from "./nas-bench-201/table.ts";
export {
  NasBench201TabularEvaluator,
  type Nb201EvaluationResult,
} from "./nas-bench-201/tabular-evaluator.ts";
export {
  loadNb201XValidTable,
  NB201_X_VALID_COLUMNS,
  NB201_X_VALID_FILE_NAME,
  type Nb201XValidColumn,
  type Nb201XValidRow,
  type Nb201XValidTable,
  nb201XValidTablePath,
  nb201XValidTableSha256,
  parseNb201XValidCsv,
} from "./nas-bench-201/x-valid-table.ts";
export type { EvaluatorOptions } from "./options.ts";
export { isPermanentEvaluationError } from "./permanent-error.ts";
export {
  trainMemoryProblem,
  trainSpecMemory,
} from "./train/train-memory.ts";
export { TRAINER_VERSION } from "./train/trainer-version.ts";
export { UnscorableArchitectureError } from "./unscorable-architecture.ts";
