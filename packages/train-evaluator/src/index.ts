// @nasvae/train-evaluator: the evaluator that trains each cell's network with TensorFlow.js
// (@nasvae/training), and createEvaluator, which builds the evaluator of any spec. An ML package:
// only the worker (and benches and tests) load it; the API and the CLI must not (test/layering).
export { createEvaluator } from "./create-evaluator.ts";
export {
  type TrainEvaluationResult,
  TrainEvaluator,
  type TrainMetrics,
} from "./train-evaluator.ts";
