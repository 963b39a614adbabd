import type { TrainingRecipe } from "./types.ts";

/**
 * Cosine annealing from `base` to `minimum` over `total` steps (PyTorch's CosineAnnealingLR,
 * no restarts): base at step 0, minimum at step `total`.
 */
export function cosineAnnealing(base: number, step: number, total: number, minimum = 0): number {
  const progress = Math.min(Math.max(step / total, 0), 1);
  return minimum + ((base - minimum) * (1 + Math.cos(Math.PI * progress))) / 2;
}

/**
 * Learning rate for iteration `iteration` (0-based, counted over the whole run) of
 * `totalIterations`. SGD anneals per iteration as NB201 does (epoch + i / iterations per
 * epoch, over all epochs, down to 0, no warm-up); Adam keeps the recipe's rate.
 */
export function learningRateAt(
  recipe: TrainingRecipe,
  iteration: number,
  totalIterations: number,
): number {
  return recipe.optimizer === "sgd"
    ? cosineAnnealing(recipe.learningRate, iteration, totalIterations)
    : recipe.learningRate;
}
