import Type, { type Static } from "typebox";
import { RandomStrategy } from "./random-strategy.ts";
import type { AnySearchSpace, Strategy } from "./strategy.ts";

/** The strategy part of a campaign, as posted. New kinds extend this union. */
export const StrategySpecSchema = Type.Union([
  Type.Object({ kind: Type.Literal("random") }, { additionalProperties: false }),
]);
export type StrategySpec = Static<typeof StrategySpecSchema>;

export const STRATEGY_KINDS = ["random"] as const;

export function createStrategy(spec: StrategySpec, space: AnySearchSpace): Strategy {
  switch (spec.kind) {
    case "random":
      return new RandomStrategy(space);
    default:
      throw new Error(`unknown strategy kind ${JSON.stringify((spec as { kind: unknown }).kind)}`);
  }
}
