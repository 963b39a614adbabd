/**
 * Part of every train evaluator's fingerprint: bumped whenever training or measuring changes in
 * a way that changes results (network, recipe, metrics), so that old cached results stop matching.
 */
export const TRAINER_VERSION = 1;
