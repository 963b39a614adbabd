import type { StrategySpec } from "@nasvae/contracts";
import { EvolutionStrategy } from "./evolution-strategy.ts";
import { GraphVaeStrategy } from "./graph-vae-strategy.ts";
import { LocalSearchStrategy } from "./local-search-strategy.ts";
import { Nsga2Strategy } from "./nsga2-strategy.ts";
import { RandomStrategy } from "./random-strategy.ts";
import type { AnySearchSpace, Strategy } from "./strategy.ts";

/**
 * The strategy of a spec (StrategySpecSchema of @nasvae/contracts: one schema per kind, with its
 * defaults and bounds). To add a kind: its schema there, and one case here (the compiler points
 * at the switch if it is missing).
 */
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
