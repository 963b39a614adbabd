// @nasvae/contracts: the one schema of each contract that crosses a process boundary (TypeBox,
// types derived with Static<>): strategy and evaluator specs with their defaults and bounds,
// campaign statuses (checked against Prisma's enum by a test), the ids of the search spaces and
// datasets they name, and the REST API's requests and responses (src/api). The API validates and
// types its routes with these schemas, the CLI reads its answers with these types, and the
// packages that implement the specs import them from here.
//
// Its rule (test/layering): it depends on nothing but typebox, imports no other workspace
// package and no other npm package, so that anything may depend on it without pulling in
// TensorFlow.js, Prisma or Fastify.
export {
  ArchitectureEvaluation,
  ArchitectureParams,
  ArchitectureResponse,
  LearningCurvePoint,
} from "./api/architecture.ts";
export {
  ArchitectureResult,
  CampaignListQuery,
  CampaignPage,
  CampaignParams,
  CampaignResponse,
  CellGraph,
  type CreateCampaignBody,
  createCampaignBodySchema,
  DEFAULT_ROUND_SIZE,
  DEFAULT_STRATEGY,
  ErrorResponse,
  EvaluationItem,
  EvaluationPage,
  EvaluationQuery,
  type EvaluationSort,
  MAX_INT4,
  ParetoFront,
} from "./api/campaign.ts";
export { DatasetInfoSchema, DatasetList } from "./api/datasets.ts";
export { Liveness, Readiness } from "./api/health.ts";
export { RoundItem, RoundList, RoundQuery, RoundTrial } from "./api/rounds.ts";
export { SearchSpaceInfo, SearchSpaceList } from "./api/search-space.ts";
export { CAMPAIGN_STATUSES, type CampaignStatusName } from "./campaign-status.ts";
export { DATASET_NAMES, type DatasetName } from "./datasets.ts";
export { discriminatedUnion, type KindVariant, kindsOf } from "./discriminated-union.ts";
export {
  DEFAULT_MIN_PEERS,
  DEFAULT_TRAIN_MEMORY_LIMIT_MB,
  type Enas6TableEvaluatorSpec,
  Enas6TableEvaluatorSpecSchema,
  EVALUATOR_KINDS,
  EVALUATOR_SEARCH_SPACES,
  type EvaluatorKind,
  type EvaluatorSpec,
  EvaluatorSpecError,
  type EvaluatorSpecInput,
  EvaluatorSpecSchema,
  evaluatorKindsFor,
  isNb201Dataset,
  type MedianStoppingRule,
  MedianStoppingRuleSchema,
  type NasBench201EvaluatorSpec,
  NasBench201EvaluatorSpecSchema,
  NB201_DATASETS,
  type Nb201Dataset,
  searchSpaceMismatch,
  TRAIN_DATASETS,
  TRAIN_OPTIMIZERS,
  TRAIN_SPEC_DEFAULTS,
  TRAIN_SPEC_LIMITS,
  type TrainEvaluatorSpec,
  TrainEvaluatorSpecSchema,
  validateEvaluatorSpec,
  validateTrainSpec,
} from "./evaluator-spec.ts";
export { SEARCH_SPACE_IDS, type SearchSpaceId } from "./search-spaces.ts";
export {
  EVOLUTION_DEFAULTS,
  type EvolutionSpec,
  EvolutionSpecSchema,
  GRAPH_VAE_DEFAULTS,
  type GraphVaeSpec,
  GraphVaeSpecSchema,
  LocalSearchSpecSchema,
  NSGA2_DEFAULTS,
  type Nsga2Spec,
  Nsga2SpecSchema,
  RandomSpecSchema,
  STRATEGY_KINDS,
  type StrategyKind,
  type StrategySpec,
  StrategySpecSchema,
  strategySpecProblem,
} from "./strategy-spec.ts";
