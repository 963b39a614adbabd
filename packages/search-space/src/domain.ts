import type { Random } from "./random.ts";
import type { DomainSearchSpace, SearchSpace } from "./search-space.ts";

/*
 * Why a domain: a tabular evaluator can only score the architectures in its table (ENAS-6: 20k
 * rows out of 1.5e9 cells), so a search on it must sample, mutate and walk inside the table, and
 * map a cell from outside (one a graph VAE decoded) to the table cells nearest to it.
 *
 * Why "nearest in the domain" stands in for "one edit": in a sparse table a cell's one-edit
 * neighbours are almost never rows (ENAS-6: 45 neighbours, 20k rows in 1.5e9 cells), so
 * `neighbours` returns the domain cells nearest the cell (as many as the base space's one-edit
 * neighbours) and `mutate` a random one of the domain cells at the smallest positive distance.
 * On a dense domain (a whole small space) the nearest cells at distance 1 are exactly the one-edit
 * neighbours that are in the domain, so nothing changes there but the count.
 *
 * Everything else (parse, format, canonical form, distance, DAG encoding, drawing, cost) is the
 * base space's: a domain restricts which cells are proposed, not what a cell is.
 */

/**
 * The space restricted to `cells` (a table's architectures). Cells are kept one per isomorphism
 * class (by canonicalString), the first of each class in the order given; that order is the
 * "domain order" of `enumerate` and of ties in `nearest`. `size` is the number of classes.
 * Throws if `cells` is empty. The base space's `distance` must return non-negative integers (the
 * contract: a number of mutations).
 */
export function restrictToDomain<Cell, CostOptions, Cost>(
  space: SearchSpace<Cell, CostOptions, Cost>,
  cells: Iterable<Cell>,
): DomainSearchSpace<Cell, CostOptions, Cost> {
  const domain: Cell[] = [];
  const indexByClass = new Map<string, number>();
  for (const cell of cells) {
    const key = space.canonicalString(cell);
    if (indexByClass.has(key)) continue;
    indexByClass.set(key, domain.length);
    domain.push(cell);
  }
  if (domain.length === 0) {
    throw new Error(`The domain of search space "${space.id}" needs at least one cell`);
  }
  const count = domain.length;

  // Scratch space reused by every scan, so nearest/mutate allocate only their result: they run
  // once per decoded candidate. (Single-threaded JS: no two scans overlap.)
  const distances = new Uint32Array(count);
  let histogram = new Uint32Array(64);

  const indexOf = (cell: Cell): number => indexByClass.get(space.canonicalString(cell)) ?? -1;

  /** Fills `distances` from `cell` to every domain cell; returns the largest one. */
  const scan = (cell: Cell): number => {
    let largest = 0;
    for (let i = 0; i < count; i++) {
      const d = space.distance(cell, domain[i] as Cell);
      if (!Number.isInteger(d) || d < 0 || d > 0xffff_ffff) {
        throw new Error(
          `Search space "${space.id}" distance returned ${d}, expected a non-negative integer`,
        );
      }
      distances[i] = d;
      if (d > largest) largest = d;
    }
    return largest;
  };

  /**
   * The `k` domain cells nearest `cell`, nearest first, ties in domain order, leaving out the
   * domain index `skip` (-1: none). One scan plus a counting sort by distance.
   */
  const nearestExcept = (cell: Cell, k: number, skip: number): Cell[] => {
    const wanted = Math.min(k, skip >= 0 ? count - 1 : count);
    if (wanted <= 0) return [];
    const largest = scan(cell);
    if (histogram.length < largest + 2) histogram = new Uint32Array(largest + 2);
    histogram.fill(0, 0, largest + 2);
    for (let i = 0; i < count; i++) {
      const d = distances[i] as number;
      if (i !== skip) histogram[d] = (histogram[d] as number) + 1;
    }
    // Turn counts into first output slots, stopping at the distance that fills `wanted`.
    let threshold = 0;
    let slot = 0;
    for (; threshold <= largest; threshold++) {
      const here = histogram[threshold] as number;
      histogram[threshold] = slot;
      slot += here;
      if (slot >= wanted) break;
    }
    const result = new Array<Cell>(wanted);
    for (let i = 0; i < count; i++) {
      const d = distances[i] as number;
      if (i === skip || d > threshold) continue;
      const at = histogram[d] as number;
      if (at >= wanted) continue; // the threshold's bucket is full: later ties lose
      result[at] = domain[i] as Cell;
      histogram[d] = at + 1;
    }
    return result;
  };

  const nearest = (cell: Cell, k: number): Cell[] => {
    const own = indexOf(cell);
    if (own < 0) return nearestExcept(cell, k, -1);
    if (k <= 0) return [];
    return [domain[own] as Cell, ...nearestExcept(cell, k - 1, own)];
  };

  const neighbours = (cell: Cell): Cell[] =>
    nearestExcept(cell, space.neighbours(cell).length, indexOf(cell));

  const mutate = (cell: Cell, rng: Random): Cell => {
    const own = indexOf(cell);
    scan(cell);
    let smallest = Number.POSITIVE_INFINITY;
    let ties = 0;
    for (let i = 0; i < count; i++) {
      const d = distances[i] as number;
      if (i === own || d === 0) continue;
      if (d < smallest) {
        smallest = d;
        ties = 1;
      } else if (d === smallest) ties++;
    }
    if (ties === 0) {
      throw new Error(`The domain of search space "${space.id}" has no cell other than this one`);
    }
    let pick = rng.int(ties);
    for (let i = 0; i < count; i++) {
      if (i === own || distances[i] !== smallest) continue;
      if (pick === 0) return domain[i] as Cell;
      pick--;
    }
    throw new Error("unreachable: the tie count and the second pass disagree");
  };

  return {
    id: space.id,
    name: space.name,
    size: count,
    dagVocabulary: space.dagVocabulary,
    base: space,
    parse: (archString) => space.parse(archString),
    format: (cell) => space.format(cell),
    canonicalString: (cell) => space.canonicalString(cell),
    canonicalHash: (cell) => space.canonicalHash(cell),
    sample: (rng) => domain[rng.int(count)] as Cell,
    mutate,
    neighbours,
    distance: (a, b) => space.distance(a, b),
    enumerate: () => domain.values(),
    contains: (cell) => indexOf(cell) >= 0,
    nearest,
    toDag: (cell) => space.toDag(cell),
    fromDag: (dag) => space.fromDag(dag),
    graph: (cell) => space.graph(cell),
    cost: (cell, options) => space.cost(cell, options),
  };
}
