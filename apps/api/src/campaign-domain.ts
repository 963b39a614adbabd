import {
  DEFAULT_TRAIN_MEMORY_LIMIT_MB,
  type EvaluatorKind,
  type EvaluatorSpec,
  evaluatorKindsFor,
  searchSpaceMismatch,
} from "@nasvae/contracts";
import { evaluatorKindDomain, trainMemoryProblem } from "@nasvae/evaluators";
import { getSearchSpace, restrictToDomain, type SearchSpace } from "@nasvae/search-space";

/** The cells a campaign can evaluate: its evaluator's domain in its space, or the whole space. */
export interface CampaignDomain {
  /**
   * Distinct architectures (isomorphism classes) it can score: the most evaluations a campaign
   * can spend, since strategies never propose a cell isomorphic to one already evaluated.
   */
  size: number;
  /** Says what it is, for messages: `the 20015 architectures the enas-6-table evaluator …`. */
  description: string;
}

/** A campaign setting the API refuses (a 400), with the message that says why. */
export class CampaignSettingError extends Error {
  override name = "CampaignSettingError";
}

/**
 * Checks that the evaluator can score the search space, that a train spec's network fits
 * `trainMemoryLimitMb` (TRAIN_MEMORY_LIMIT_MB) for every cell of the space, and that the budget
 * fits the cells it can score; returns that domain. Throws CampaignSettingError naming the
 * problem. `searchSpace` is a registry id (the request schema checked it).
 */
export async function checkCampaignSettings(
  searchSpace: string,
  evaluator: EvaluatorSpec,
  budget: number,
  trainMemoryLimitMb: number = DEFAULT_TRAIN_MEMORY_LIMIT_MB,
): Promise<CampaignDomain> {
  const mismatch = searchSpaceMismatch(evaluator.kind, searchSpace);
  if (mismatch) throw new CampaignSettingError(mismatch);
  if (evaluator.kind === "train") {
    const tooBig = trainMemoryProblem(evaluator, searchSpace, trainMemoryLimitMb);
    if (tooBig) throw new CampaignSettingError(tooBig);
  }
  const domain = await campaignDomain(searchSpace, evaluator.kind);
  if (budget > domain.size) {
    throw new CampaignSettingError(
      `budget.evaluations ${budget} exceeds ${domain.description}: at most ${domain.size} evaluations`,
    );
  }
  return domain;
}

// Counting classes parses every cell (20,015 table rows, 15,625 NAS-Bench-201 cells): once per
// space and evaluator kind per process.
const domains = new Map<string, Promise<CampaignDomain>>();

/** The evaluator kind's domain in the space (its table's rows), or the whole space. Cached. */
export function campaignDomain(searchSpace: string, kind: EvaluatorKind): Promise<CampaignDomain> {
  const key = `${searchSpace}\n${kind}`;
  let domain = domains.get(key);
  if (!domain) {
    domain = countDomain(searchSpace, kind);
    domains.set(key, domain);
    domain.catch(() => domains.delete(key));
  }
  return domain;
}

async function countDomain(searchSpace: string, kind: EvaluatorKind): Promise<CampaignDomain> {
  const space: SearchSpace<unknown> = getSearchSpace(searchSpace);
  const cells = await evaluatorKindDomain(kind);
  if (cells) {
    const size = restrictToDomain(
      space,
      cells.map((cell) => space.parse(cell)),
    ).size;
    return {
      size,
      description: `the ${size} architectures the ${kind} evaluator can score in ${searchSpace}`,
    };
  }
  const classes = spaceClasses(searchSpace);
  if (classes === null) {
    // Too large to list (ENAS-6: 1.5e9 cells); no budget comes near it.
    return { size: space.size, description: `the ${space.size} architectures of ${searchSpace}` };
  }
  return {
    size: classes,
    description: `the ${classes} distinct architectures (isomorphism classes) of ${searchSpace}`,
  };
}

const spaceClassCounts = new Map<string, number | null>();

/**
 * Isomorphism classes of a whole space where it can be listed (NAS-Bench-201: 6,466 of 15,625
 * cells); null for spaces too large to list. Counted once per process.
 */
export function spaceClasses(searchSpace: string): number | null {
  let count = spaceClassCounts.get(searchSpace);
  if (count === undefined) {
    const space: SearchSpace<unknown> = getSearchSpace(searchSpace);
    // A domain keeps one cell per isomorphism class: its size is the class count.
    count = space.enumerate ? restrictToDomain(space, space.enumerate()).size : null;
    spaceClassCounts.set(searchSpace, count);
  }
  return count;
}

/** What GET /search-spaces says of the evaluators of a space: each kind and its domain size. */
export async function evaluatorsOf(
  searchSpace: string,
): Promise<{ kind: EvaluatorKind; domainSize: number | null }[]> {
  return Promise.all(
    evaluatorKindsFor(searchSpace).map(async (kind) => {
      const restricted = (await evaluatorKindDomain(kind)) !== null;
      return {
        kind,
        domainSize: restricted ? (await campaignDomain(searchSpace, kind)).size : null,
      };
    }),
  );
}
