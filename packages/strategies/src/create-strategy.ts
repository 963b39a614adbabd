import Type, { type Static, type TLiteral, type TObject, type TUnion } from "typebox";
import { EvolutionSpecSchema, EvolutionStrategy } from "./evolution-strategy.ts";
import { GraphVaeSpecSchema, GraphVaeStrategy } from "./graph-vae-strategy.ts";
import { LocalSearchSpecSchema, LocalSearchStrategy } from "./local-search-strategy.ts";
import { Nsga2SpecSchema, Nsga2Strategy } from "./nsga2-strategy.ts";
import { RandomStrategy } from "./random-strategy.ts";
import type { AnySearchSpace, Strategy } from "./strategy.ts";

/**
 * One schema per strategy kind, each an object with a literal `kind`. To add a kind: one entry
 * here and one case in createStrategy (the compiler points at the switch if it is missing).
 */
const STRATEGY_SPEC_VARIANTS = [
  Type.Object({ kind: Type.Literal("random") }, { additionalProperties: false }),
  EvolutionSpecSchema,
  GraphVaeSpecSchema,
  LocalSearchSpecSchema,
  Nsga2SpecSchema,
] as const;

type SpecVariant = TObject<{ kind: TLiteral<string> }>;

/**
 * A union of objects discriminated by `kind`, checked branch by branch: `kind` must be one of
 * the known kinds, and the object must then match that kind's schema. Unlike a plain anyOf,
 * whose errors mix every branch ("must be random", "populationSize: unknown field", ... for an
 * evolution spec with a bad populationSize), this reports only the errors of the branch the
 * `kind` selects (e.g. just `/populationSize: must be >= 2`), plus one generic `if` error
 * marking the branch. Each branch is `if kind != K, else <K's schema>`: TypeBox keeps the
 * errors of a failing `else`.
 */
export function discriminatedUnion<const Variants extends readonly SpecVariant[]>(
  variants: Variants,
) {
  const kinds = variants.map((variant) => variant.properties.kind.const);
  return Type.Unsafe<Static<TUnion<[...Variants]>>>({
    type: "object",
    required: ["kind"],
    properties: { kind: { enum: kinds } },
    allOf: variants.map((variant) => ({
      if: { properties: { kind: { not: { const: variant.properties.kind.const } } } },
      else: variant,
    })),
  });
}

/** The strategy part of a campaign, as posted; validates with messages for the right kind. */
export const StrategySpecSchema = discriminatedUnion(STRATEGY_SPEC_VARIANTS);
export type StrategySpec = Static<typeof StrategySpecSchema>;

export const STRATEGY_KINDS = STRATEGY_SPEC_VARIANTS.map(
  (variant) => variant.properties.kind.const,
) as readonly StrategySpec["kind"][];

export function createStrategy(spec: StrategySpec, space: AnySearchSpace): Strategy {
  switch (spec.kind) {
    case "random":
      return new RandomStrategy(space);
    case "evolution":
      return new EvolutionStrategy(space, spec);
    case "graph-vae":
      return new GraphVaeStrategy(space, spec);
    case "local-search":
      return new LocalSearchStrategy(space);
    case "nsga2":
      return new Nsga2Strategy(space, spec);
    default: {
      const unknownSpec: never = spec;
      throw new Error(
        `unknown strategy kind ${JSON.stringify((unknownSpec as { kind: unknown }).kind)}`,
      );
    }
  }
}
