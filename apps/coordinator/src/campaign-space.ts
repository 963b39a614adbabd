import { type EvaluatorSpec, validateEvaluatorSpec } from "@nasvae/contracts";
import { evaluatorDomain } from "@nasvae/evaluators";
import { getSearchSpace, restrictToDomain, type SearchSpace } from "@nasvae/search-space";

/** The space a campaign's strategy searches, and the cells its evaluator can score. */
export interface CampaignSpace {
  /**
   * The campaign's search space, restricted to its evaluator's domain where the evaluator scores
   * only some cells (a table): strategies then propose only cells it can score.
   */
  readonly space: SearchSpace<unknown>;
  /** The domain's architecture strings (the space's `format`); null: every cell of the space. */
  readonly domain: ReadonlySet<string> | null;
  /** The evaluator kind whose domain it is, for messages. */
  readonly evaluatorKind: EvaluatorSpec["kind"];
}

// Per process: the domain (20,015 table rows for enas-6-table) is parsed and indexed once, not
// once per round. Keyed by space and evaluator kind: a kind's domain depends on nothing else.
const spaces = new Map<string, Promise<CampaignSpace>>();

/** The CampaignSpace of a campaign's search space and evaluator spec (cached per process). */
export function campaignSpace(searchSpaceId: string, evaluator: unknown): Promise<CampaignSpace> {
  const spec = validateEvaluatorSpec(evaluator);
  const key = `${searchSpaceId}\n${spec.kind}`;
  let found = spaces.get(key);
  if (!found) {
    found = build(searchSpaceId, spec);
    spaces.set(key, found);
    found.catch(() => spaces.delete(key));
  }
  return found;
}

async function build(searchSpaceId: string, spec: EvaluatorSpec): Promise<CampaignSpace> {
  const base: SearchSpace<unknown> = getSearchSpace(searchSpaceId);
  const cells = await evaluatorDomain(spec);
  if (!cells) return { space: base, domain: null, evaluatorKind: spec.kind };
  return {
    evaluatorKind: spec.kind,
    space: restrictToDomain(
      base,
      cells.map((cell) => base.parse(cell)),
    ),
    domain: new Set(cells),
  };
}

/**
 * The architecture strings among `archStrings` that the campaign's evaluator cannot score: not
 * parsable in its space, or outside its domain. Looked up as the worker does (the string its space
 * formats), so that an empty answer means every job can be scored.
 */
export function outsideDomain(
  { space, domain }: CampaignSpace,
  archStrings: readonly string[],
): string[] {
  if (!domain) return [];
  return archStrings.filter((archString) => {
    try {
      return !domain.has(space.format(space.parse(archString)));
    } catch {
      return true;
    }
  });
}
