import assert from "node:assert/strict";
import { test } from "node:test";
import { strategySpecProblem } from "../src/index.ts";

test("strategySpecProblem: an expected-improvement acquisition needs accuracy alone", () => {
  assert.equal(strategySpecProblem({ kind: "graph-vae" }), null);
  assert.equal(strategySpecProblem({ kind: "graph-vae", acquisition: "gp-ei" }), null);
  assert.equal(strategySpecProblem({ kind: "graph-vae", lambda: 1 }), null);
  assert.equal(strategySpecProblem({ kind: "evolution", populationSize: 10 }), null);
  assert.match(
    strategySpecProblem({ kind: "graph-vae", acquisition: "residual-gp-ei", lambda: 2 }) ?? "",
    /acquisition "residual-gp-ei" .* needs lambda 0, got 2/,
  );
  assert.match(
    strategySpecProblem({ kind: "graph-vae", acquisition: "gp-ei", objective: "pareto" }) ?? "",
    /needs objective "accuracy", got "pareto"/,
  );
});
