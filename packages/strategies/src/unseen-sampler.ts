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

/**
 * Mutations of one parent tried before taking a random unseen one of its neighbours instead.
 * On NAS-Bench-201 `mutate` is uniform over the 24 neighbours, so this changes nothing in
 * distribution (a uniform pick among the unseen ones either way); on a table-restricted space
 * (restrictToDomain) `mutate` picks among the few table cells at the smallest distance, often
 * all seen, and each try scans the whole table: a long run of retries would cost minutes.
 */
const MUTATION_TRIES = 5;
/** Parents tried for one candidate before falling back to a random unseen architecture. */
const PARENT_TRIES = 5;

/**
 * A round of `count` unseen children for the evolutionary strategies: each from a parent that
 * `pickParent` chooses (its arch string; a tournament), mutated until its class is unseen, else
 * a random unseen neighbour of that parent, else the next parent; a random unseen architecture
 * when every parent fails. Fewer than `count` only when nothing unseen is left.
 */
export function breedUnseen(
  space: AnySearchSpace,
  seen: Set<string>,
  count: number,
  rng: Random,
  pickParent: () => string,
): { candidates: Candidate[]; mutated: number; random: number } {
  const candidates: Candidate[] = [];
  let mutated = 0;
  let random = 0;
  while (candidates.length < count) {
    let candidate = breedOne(space, seen, rng, pickParent);
    if (candidate) {
      mutated += 1;
    } else {
      candidate = sampleUnseen(space, seen, 1, rng)[0];
      if (!candidate) break; // nothing unseen is left in the space
      random += 1;
    }
    candidates.push(candidate);
  }
  return { candidates, mutated, random };
}

/** An unseen child of a picked parent (marked seen), or undefined if none was found. */
function breedOne(
  space: AnySearchSpace,
  seen: Set<string>,
  rng: Random,
  pickParent: () => string,
): Candidate | undefined {
  for (let t = 0; t < PARENT_TRIES; t++) {
    const parent = space.parse(pickParent());
    for (let m = 0; m < MUTATION_TRIES; m++) {
      const child = takeUnseen(space, seen, space.mutate(parent, rng));
      if (child) return child;
    }
    const unseen = space
      .neighbours(parent)
      .filter((cell: unknown) => !seen.has(space.canonicalHash(cell)));
    const neighbour = unseen[unseen.length > 0 ? rng.int(unseen.length) : 0];
    if (neighbour !== undefined) return takeUnseen(space, seen, neighbour);
  }
  return undefined;
}
