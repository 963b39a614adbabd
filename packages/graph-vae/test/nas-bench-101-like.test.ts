// The model is not tied to NAS-Bench-201: it trains on NAS-Bench-101-like cells too (up to 7
// nodes, 3 operations, at most 9 edges, a topology of their own), checked by a validity rule.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRandom, type Random } from "@nasvae/search-space";
import {
  ensureBackend,
  type GraphSpace,
  GraphVaeSession,
  padGraph,
  unpadGraph,
} from "../src/index.ts";

const vocabulary = ["input", "conv3x3-bn-relu", "conv1x1-bn-relu", "maxpool3x3", "output"];
const space: GraphSpace = { vocabulary, maxNodes: 7, inputOp: 0, outputOp: 4, variableSize: true };

interface Cell {
  ops: number[];
  adjacency: number[][];
}

/** NAS-Bench-101's rule: ≤ 7 nodes, ≤ 9 edges, input first, output last, every node on an input-output path. */
function isValid(cell: Cell): boolean {
  const n = cell.ops.length;
  if (n < 2 || n > 7 || cell.ops[0] !== 0 || cell.ops[n - 1] !== 4) return false;
  if (cell.ops.slice(1, -1).some((op) => op < 1 || op > 3)) return false;
  const edges = cell.adjacency.flat().reduce((a, b) => a + b, 0);
  if (edges > 9) return false;
  const reach = (from: number, forward: boolean) => {
    const seen = new Set([from]);
    const stack = [from];
    while (stack.length > 0) {
      const i = stack.pop() as number;
      for (let j = 0; j < n; j++) {
        const edge = forward ? cell.adjacency[i]?.[j] : cell.adjacency[j]?.[i];
        if (edge && !seen.has(j)) {
          seen.add(j);
          stack.push(j);
        }
      }
    }
    return seen;
  };
  const fromInput = reach(0, true);
  const toOutput = reach(n - 1, false);
  return cell.ops.every((_, i) => fromInput.has(i) && toOutput.has(i));
}

function randomCell(rng: Random): Cell {
  for (;;) {
    const n = 3 + rng.int(5);
    const ops = [0, ...Array.from({ length: n - 2 }, () => 1 + rng.int(3)), 4];
    const adjacency = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => (j > i && rng.next() < 0.45 ? 1 : 0)),
    );
    const cell = { ops, adjacency };
    if (isValid(cell)) return cell;
  }
}

describe("graph VAE on NAS-Bench-101-like cells", () => {
  test("trains on variable-size cells with their own topology and decodes valid cells", async () => {
    await ensureBackend();
    const rng = createRandom(11);
    const cells = Array.from({ length: 1500 }, () => randomCell(rng));
    const graphs = cells.map((cell) => padGraph(space, cell.ops, cell.adjacency));
    const labelled = graphs.slice(0, 100).map((graph, i) => ({
      graph,
      accuracy: 80 + (cells[i]?.ops.filter((op) => op === 1).length ?? 0),
      flops: 1e6 * (1 + (cells[i]?.ops.length ?? 0)),
    }));
    const session = GraphVaeSession.create(space, graphs, { unlabelledBatch: 32 }, 3);
    try {
      const probe = graphs.slice(0, 300);
      const decodeRates = () => {
        const decoded = session.decode(session.encode(probe)).map((g) => unpadGraph(space, g));
        const exact = decoded.filter(
          (cell, i) => JSON.stringify(cell) === JSON.stringify(cells[i]),
        ).length;
        const valid = decoded.filter(isValid).length;
        return { exact: exact / probe.length, valid: valid / probe.length };
      };
      const before = decodeRates();
      const report = await session.train(labelled, { steps: 600, rng: createRandom(3) });
      const after = decodeRates();
      assert.ok(
        after.exact > before.exact,
        `${JSON.stringify(before)} -> ${JSON.stringify(after)}`,
      );
      assert.ok(
        after.exact >= 0.5,
        `exact reconstruction ${after.exact} (${JSON.stringify(report.loss)})`,
      );
      assert.ok(after.valid >= 0.8, `valid decodes ${after.valid}`);
      assert.ok(report.loss.edges < 0.2, JSON.stringify(report.loss));
    } finally {
      session.dispose();
    }
  });
});
