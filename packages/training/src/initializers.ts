import { createRandom, type Random } from "@nasvae/search-space";

/*
 * Seeded initial values, drawn in JS so that a seed gives the same network on every backend.
 * They follow PyTorch's defaults, which NAS-Bench-201 trains with (it does not re-initialise):
 * conv and linear weights, and the linear bias, are uniform in ±1/sqrt(fan_in) (that is
 * kaiming_uniform with a = sqrt(5)); batch norm starts at gamma 1, beta 0, mean 0, variance 1.
 */

/** A stream of initial values: one generator per network, consumed in inventory order. */
export class SeededInitializer {
  private readonly random: Random;

  constructor(seed: number) {
    this.random = createRandom(seed);
  }

  /** `size` values uniform in [-1/sqrt(fanIn), 1/sqrt(fanIn)). */
  fanInUniform(size: number, fanIn: number): Float32Array {
    const bound = 1 / Math.sqrt(fanIn);
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) values[i] = (2 * this.random.next() - 1) * bound;
    return values;
  }
}

/** `size` copies of `value`. */
export function constant(size: number, value: number): Float32Array {
  return new Float32Array(size).fill(value);
}
