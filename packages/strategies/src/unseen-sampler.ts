import type { Random } from "@nasvae/search-space";
import type { AnySearchSpace, Candidate } from "./strategy.ts";

/*
 * Shared by strategies that must never propose an architecture isomorphic to one already seen:
 * `seen` is the set of canonical hashes of the history plus what the round has taken so far,
 * and every helper here adds what it takes to it.
 */

/** The cell as a candidate, marking its class seen; undefined when the class was seen already. */
export function takeUnseen(
  space: AnySearchSpace,
  seen: Set<string>,
  cell: unknown,
): Candidate | undefined {
  const canonicalHash = space.canonicalHash(cell);
  if (seen.has(canonicalHash)) return undefined;
  seen.add(canonicalHash);
  return { archString: space.format(cell), canonicalHash };
}

/**
 * Up to `count` uniform random architectures of unseen classes (fewer only when fewer are left).
 * Rejection sampling, falling back to enumerating the space when it is nearly exhausted so that
 * the round is filled whenever anything unseen is left (a space that cannot be enumerated is far
 * too large to run out). Candidates are in proposal order.
 */
export function sampleUnseen(
  space: AnySearchSpace,
  seen: Set<string>,
  count: number,
  rng: Random,
): Candidate[] {
  const candidates: Candidate[] = [];
  const take = (cell: unknown): void => {
    const candidate = takeUnseen(space, seen, cell);
    if (candidate) candidates.push(candidate);
  };

  // Misses become frequent only when most classes are seen; bound the tries per candidate.
  let tries = 0;
  const maxTries = 50 * count + 1000;
  while (candidates.length < count && tries < maxTries) {
    take(space.sample(rng));
    tries += 1;
  }
  if (candidates.length < count && space.enumerate) {
    const rest: unknown[] = [];
    for (const cell of space.enumerate()) {
      if (!seen.has(space.canonicalHash(cell))) rest.push(cell);
    }
    while (candidates.length < count && rest.length > 0) {
      const [cell] = rest.splice(rng.int(rest.length), 1);
      take(cell);
    }
  }
  return candidates;
}
