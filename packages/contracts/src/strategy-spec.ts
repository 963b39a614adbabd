import Type, { type Static } from "typebox";
import { discriminatedUnion, kindsOf } from "./discriminated-union.ts";

/*
 * The strategy specs of a campaign (`strategy` of POST /campaigns), one schema per kind, with
 * their defaults and bounds. packages/strategies implements each kind (createStrategy); the
 * bounds are those its constructors enforce.
 */

/** The "random" strategy spec: it has no settings. */
export const RandomSpecSchema = Type.Object(
  { kind: Type.Literal("random") },
  { additionalProperties: false },
);

export const EVOLUTION_DEFAULTS = { populationSize: 20, sampleSize: 5 } as const;

/** The "evolution" strategy spec (bounds are those the constructor enforces). */
export const EvolutionSpecSchema = Type.Object(
  {
    kind: Type.Literal("evolution"),
    populationSize: Type.Optional(
      Type.Integer({
        minimum: 2,
        maximum: 1000,
        description: `population size P, default ${EVOLUTION_DEFAULTS.populationSize}`,
      }),
    ),
    sampleSize: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1000,
        description: `tournament size S, default ${EVOLUTION_DEFAULTS.sampleSize}`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type EvolutionSpec = Static<typeof EvolutionSpecSchema>;

/** The "local-search" strategy spec: it has no settings. */
export const LocalSearchSpecSchema = Type.Object(
  { kind: Type.Literal("local-search") },
  { additionalProperties: false },
);

export const NSGA2_DEFAULTS = { populationSize: 20 } as const;

/** The "nsga2" strategy spec (bounds are those the constructor enforces). */
export const Nsga2SpecSchema = Type.Object(
  {
    kind: Type.Literal("nsga2"),
    populationSize: Type.Optional(
      Type.Integer({
        minimum: 2,
        maximum: 10000,
        description: `population size N, default ${NSGA2_DEFAULTS.populationSize}`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type Nsga2Spec = Static<typeof Nsga2SpecSchema>;

/** Settings of the graph-VAE strategy; every one has a default. */
export const GraphVaeSpecSchema = Type.Object(
  {
    kind: Type.Literal("graph-vae"),
    /** FLOPs penalty of the latent objective: predicted accuracy - lambda * predicted FLOPs (both standardised). 0 = accuracy only. */
    lambda: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    /** Starting points of the latent search: the top-k evaluated cells. */
    topK: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    /** Gradient steps on z from each start, and their length in latent units. 0 with perturbedSteps 0: no gradient steps at all (the pool then comes from the encodings and the perturbed points). */
    latentSteps: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    stepSize: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
    /** Unsupervised training on the whole space before the first model-based round. */
    pretrainSteps: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    /** Joint training steps each round (warm-started from the previous round's weights). */
    finetuneSteps: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    latentSize: Type.Optional(Type.Integer({ minimum: 2, maximum: 512 })),
    /** Gradient steps taken from each perturbed start too (0: the perturbed points alone). */
    perturbedSteps: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    /** Decoded candidates gathered per candidate wanted, before the best predicted are kept. */
    poolFactor: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    /** How the round's candidates are picked from the decoded pool: "predictor" (default) keeps the best predicted; "random" a uniformly random choice among the same pool (ablation). */
    selection: Type.Optional(Type.Union([Type.Literal("predictor"), Type.Literal("random")])),
    /** The accuracy predictor also reads the cell's FLOPs, learned on every cell of the space (a cell's cost is known without training it). false: z alone (the paper's predictor; ablation). */
    costFeature: Type.Optional(Type.Boolean()),
    /** Weight of a pairwise ranking loss on the evaluated cells beside the accuracy MSE (0: MSE alone). */
    rankingWeight: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    /** "accuracy" (default): one trade-off, accuracy - lambda * FLOPs. "pareto": the accuracy-vs-FLOPs front. The latent search then starts from the front's cells too and climbs for several FLOPs weights (PARETO_LAMBDAS), and the round takes the candidates whose predicted accuracy and modelled FLOPs add the most hypervolume to the front found so far. */
    objective: Type.Optional(Type.Union([Type.Literal("accuracy"), Type.Literal("pareto")])),
    /** The unseen one-edit neighbours of this many best evaluated cells join the decoded pool, for the predictor to rank with the rest (0: decoded cells only). */
    neighbourCentres: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    /** How the round is chosen from the pool with objective "accuracy": "predictor" (default) keeps the best predicted; "gp-ei" fits a Gaussian process on the latent encodings of the evaluated cells and takes the candidates of highest expected improvement (a batch by kriging believer, D-VAE-style Bayesian optimisation); "residual-gp-ei" the same with the GP modelling what the predictor gets wrong, so that the predictor is its mean where it has no data. */
    acquisition: Type.Optional(
      Type.Union([
        Type.Literal("predictor"),
        Type.Literal("gp-ei"),
        Type.Literal("residual-gp-ei"),
      ]),
    ),
  },
  { additionalProperties: false },
);
export type GraphVaeSpec = Static<typeof GraphVaeSpecSchema>;

/**
 * Defaults, tuned with `bench/search.ts` on NAS-Bench-201 CIFAR-10 (rounds of 10, budget 100-150;
 * measurements in the pull request that set them).
 */
export const GRAPH_VAE_DEFAULTS = {
  /** Accuracy only; the FLOPs predictor is still trained and reported. */
  lambda: 0,
  /** Ten starts: the best of the history, as many as a round has candidates. */
  topK: 10,
  /** 20 steps of length 1 (a step is a fixed length along the normalised gradient): with 0.25 a
   * whole trajectory moved at most 5 latent units and nearly always decoded to its start cell,
   * while offsets of norm ~4-8 (the perturbations below) decode mostly one or two edits away. */
  latentSteps: 20,
  stepSize: 1,
  /** Unsupervised pretraining on the whole space, once per process (~30-40 s on 2 cores, WASM). */
  pretrainSteps: 1000,
  /** Joint fine-tuning per round, warm-started: ~2 s on 2 cores (WASM); the accuracy loss on the
   * labelled cells is already ~0.003 (standardised) after it, so more steps only memorise. */
  finetuneSteps: 60,
  /** As the official code (D-VAE's). */
  latentSize: 56,
  /** 100 decoded candidates for 10 wanted. The trajectories from the top-k encodings converge on
   * the best evaluated cell (the predictor's maximum) and decode few new cells (~3 a round), so
   * the pool is filled from perturbed starts around the top-k encodings: mostly one or two edits
   * from a top cell, and the predictor picks among many near neighbours of the best cells (a
   * predictor-guided local search). At 100 evaluations, seeds 0-5: 4 gave 94.17 ± 0.32, 10 gave
   * 94.37 ± 0.00; searching the pool costs ~0.1 s. */
  poolFactor: 10,
  /** Each perturbed start is also a start of 3 gradient steps, all decoded: then about half the
   * chosen candidates come from gradient steps (1 in 10 with 0) at equal quality. 30 seeds at 100
   * evaluations: 0 steps 94.30 ± 0.18, 3 steps 94.29 ± 0.20, 3 steps without decoding the
   * perturbed points themselves 94.27 ± 0.24 (all within noise: standard error ~0.04). */
  perturbedSteps: 3,
  /** The predictor ranks the pool (the method); "random" is the ablation that drops it. */
  selection: "predictor" as "predictor" | "random",
  /** Off: the cost feature raises Kendall τ on random held-out cells (0.60 → 0.62-0.63 at 100
   * labels), yet searches worse: 30 seeds at 100 evaluations, 94.16 ± 0.05 % with it (and the
   * ranking loss) against 94.29 ± 0.04 % without (bench/README.md). It pulls the search towards
   * the costliest cells, where the optimum is not. */
  costFeature: false as boolean,
  /** Off: measured only with the cost feature (above). */
  rankingWeight: 0 as number,
  /** The best cell's unseen one-edit neighbours compete with the decoded cells for the round:
   * 30 seeds at 100 evaluations, 94.33 ± 0.03 % and the optimum in 26/30 runs, against
   * 94.29 ± 0.04 % and 23/30 with decoded cells only (bench/README.md). */
  neighbourCentres: 1 as number,
  objective: "accuracy" as "accuracy" | "pareto",
  /** The predictor ranks the pool (the paper's method). Expected improvement under a GP was no
   * better: 30 seeds, "residual-gp-ei" 94.06 ± 0.07 % at 50 and 94.35 ± 0.02 % at 100 against
   * 94.13 ± 0.06 % and 94.33 ± 0.03 % (paired −0.07 ± 0.06 and +0.02 ± 0.04 pp); "gp-ei"
   * worse on a 10-seed screen (bench/README.md). */
  acquisition: "predictor" as "predictor" | "gp-ei" | "residual-gp-ei",
} as const;

/**
 * One schema per strategy kind, each an object with a literal `kind`. To add a kind: one entry
 * here and one case in createStrategy of packages/strategies (the compiler points at the switch
 * if it is missing).
 */
const STRATEGY_SPEC_VARIANTS = [
  RandomSpecSchema,
  EvolutionSpecSchema,
  GraphVaeSpecSchema,
  LocalSearchSpecSchema,
  Nsga2SpecSchema,
] as const;

/** The strategy part of a campaign, as posted; validates with messages for the right kind. */
export const StrategySpecSchema = discriminatedUnion(STRATEGY_SPEC_VARIANTS);
export type StrategySpec = Static<typeof StrategySpecSchema>;

export const STRATEGY_KINDS = kindsOf(STRATEGY_SPEC_VARIANTS);
export type StrategyKind = StrategySpec["kind"];

/**
 * What the schema cannot say about a strategy spec: a setting that only means something beside
 * another. Null when there is nothing to object to; otherwise one sentence naming the fields.
 */
export function strategySpecProblem(spec: StrategySpec): string | null {
  if (spec.kind !== "graph-vae") return null;
  const acquisition = spec.acquisition ?? GRAPH_VAE_DEFAULTS.acquisition;
  if (acquisition === "predictor") return null;
  // The GP models accuracy alone: a FLOPs trade-off would be silently dropped.
  if ((spec.objective ?? GRAPH_VAE_DEFAULTS.objective) !== "accuracy") {
    return `strategy.acquisition "${acquisition}" chooses by accuracy alone: it needs objective "accuracy", got "${spec.objective}"`;
  }
  if ((spec.lambda ?? GRAPH_VAE_DEFAULTS.lambda) !== 0) {
    return `strategy.acquisition "${acquisition}" chooses by accuracy alone: it needs lambda 0, got ${spec.lambda}`;
  }
  return null;
}
