/**
 * Small seeded PRNG so that sampling is reproducible across processes and machines
 * (Math.random cannot be seeded). mulberry32: 32-bit state, fast, good enough for search.
 */
export interface Random {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n) for a positive integer n (exact, by rejection). */
  int(n: number): number;
}

const TWO_POW_32 = 0x1_0000_0000;

export class Mulberry32 implements Random {
  private state: number;

  /** `seed` is reduced to an unsigned 32-bit integer; it must be a finite integer. */
  constructor(seed: number) {
    if (!Number.isInteger(seed)) {
      throw new Error(`Random seed must be an integer, got ${String(seed)}`);
    }
    this.state = seed >>> 0;
  }

  /**
   * The whole state, an unsigned 32-bit integer: `new Mulberry32(g.snapshot())` continues the
   * sequence exactly where `g` is (training checkpoints resume their shuffles with it).
   */
  snapshot(): number {
    return this.state;
  }

  /** Next raw output as an unsigned 32-bit integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_32) {
      throw new Error(`Random.int(n) needs an integer 1 <= n <= 2^32, got ${String(n)}`);
    }
    // Reject the top partial block so every residue is equally likely.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }
}

/** A seeded generator; the same seed always yields the same sequence. */
export function createRandom(seed: number): Random {
  return new Mulberry32(seed);
}
