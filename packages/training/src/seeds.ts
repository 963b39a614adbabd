import { createRandom, type Random } from "@nasvae/search-space";

/** Independent uses of a run's seed, each with its own stream of random numbers. */
export type SeedStream = "init" | "shuffle" | "augment";

const STREAM_SALT: Record<SeedStream, number> = {
  init: 0x9e3779b9,
  shuffle: 0x85ebca6b,
  augment: 0xc2b2ae35,
};

/** A seed for one stream, derived from the recipe's seed (so streams don't share numbers). */
export function streamSeed(seed: number, stream: SeedStream): number {
  // One mulberry32 step over seed ^ salt: nearby seeds give unrelated streams.
  return createRandom((seed ^ STREAM_SALT[stream]) >>> 0).int(0x1_0000_0000);
}

/** A generator for one stream of a run's seed. */
export function streamRandom(seed: number, stream: SeedStream): Random {
  return createRandom(streamSeed(seed, stream));
}
