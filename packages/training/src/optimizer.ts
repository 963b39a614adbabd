import type * as tf from "@tensorflow/tfjs";
import { Adam } from "./adam.ts";
import type { TrainableParameter } from "./network.ts";
import { NesterovSgd } from "./sgd.ts";
import type { NamedVariable } from "./trainable-network.ts";
import type { TrainingRecipe } from "./types.ts";

/**
 * Updates parameters from their gradients. Weight decay is an L2 penalty added to the
 * gradient (PyTorch's `weight_decay`) of parameters marked `decay`: conv and classifier
 * weights, not batch-norm gamma/beta nor the classifier bias (NB201's PyTorch optimiser
 * decays all of them; the recipe's contract limits decay to conv and dense weights).
 */
export interface ParameterOptimizer {
  /**
   * One update; `gradients[i]` belongs to the i-th parameter, undefined when the parameter did
   * not influence the loss (it is then left unchanged). Gradients are not disposed.
   */
  step(gradients: readonly (tf.Tensor | undefined)[], learningRate: number): void;
  /** Its slot variables (velocities, moments) by name, for training checkpoints. */
  stateVariables(): NamedVariable[];
  /** Updates taken so far (Adam's bias correction reads it; SGD counts them only). */
  steps: number;
  /** Releases the optimiser's state tensors. */
  dispose(): void;
}

/** The optimiser a recipe names, over `parameters`. */
export function createOptimizer(
  parameters: readonly TrainableParameter[],
  recipe: TrainingRecipe,
): ParameterOptimizer {
  return recipe.optimizer === "sgd"
    ? new NesterovSgd(parameters, { momentum: recipe.momentum, weightDecay: recipe.weightDecay })
    : new Adam(parameters, { weightDecay: recipe.weightDecay });
}
