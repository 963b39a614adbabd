export {
  type CampaignJobRefs,
  promoteHeldJobs,
  type RemovedJobs,
  removeCampaignJobs,
} from "./campaign-jobs.ts";
export { evaluateJob, resumeCampaignJob, roundJob, startCampaignJob } from "./catalogue.ts";
export { createRedisConnection, type RedisConnectionOptions, redisAddress } from "./connection.ts";
export {
  defineJob,
  InvalidPayloadError,
  type JobDefinition,
  parsePayload,
} from "./job-definition.ts";
export { type JobLogBindings, jobLogBindings } from "./log-bindings.ts";
export { postponeDelay, postponeJob } from "./postpone.ts";
export { type QueueName, queueNames } from "./queue-names.ts";
export { JobQueues } from "./queues.ts";
export {
  CAMPAIGNS_PER_BATCH,
  COMMANDS_PER_PIPELINE,
  type ReconcileObserver,
  type ReconcileReport,
  Reconciler,
  type ReconcilerOptions,
} from "./reconciler.ts";
export { evaluateChild, evaluatePayload, roundFlow, roundPayload } from "./round-flow.ts";
