import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { CampaignResponse as Campaign } from "@nasvae/contracts";
import { csvField, toCsv } from "../src/format/csv.ts";
import { clock, progressBar, progressLine, progressSummary } from "../src/format/progress.ts";
import { formatTable, truncate } from "../src/format/table.ts";

describe("formatTable", () => {
  test("aligns columns under their headers, numbers to the right, no trailing spaces", () => {
    const table = formatTable(
      [{ header: "NAME" }, { header: "N", align: "right" }, { header: "NOTE" }],
      [
        ["alpha", "5", "x"],
        ["b", "1234", ""],
      ],
    );
    assert.equal(table, ["NAME      N  NOTE", "alpha     5  x", "b      1234"].join("\n"));
  });

  test("counts code points, not UTF-16 units", () => {
    const table = formatTable([{ header: "A" }, { header: "B" }], [["é…", "1"]]);
    assert.equal(table, "A   B\né…  1");
  });

  test("a table without rows is its header", () => {
    assert.equal(formatTable([{ header: "ID" }, { header: "NAME" }], []), "ID  NAME");
  });

  test("truncate cuts with an ellipsis only when needed", () => {
    assert.equal(truncate("short", 10), "short");
    assert.equal(truncate("a long campaign name", 10), "a long ca…");
    assert.equal([...truncate("a long campaign name", 10)].length, 10);
  });
});

describe("CSV (RFC 4180)", () => {
  test("quotes fields holding commas, quotes or line breaks, doubling quotes", () => {
    assert.equal(csvField("plain"), "plain");
    assert.equal(csvField("a,b"), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField("two\nlines"), '"two\nlines"');
    assert.equal(csvField("cr\r"), '"cr\r"');
    assert.equal(csvField(93.5), "93.5");
    assert.equal(csvField(false), "false");
    assert.equal(csvField(null), "");
    assert.equal(csvField(undefined), "");
  });

  test("records end with CRLF, the header first", () => {
    assert.equal(
      toCsv(
        ["a", "b"],
        [
          [1, "x,y"],
          [2, null],
        ],
      ),
      'a,b\r\n1,"x,y"\r\n2,\r\n',
    );
    assert.equal(toCsv(["only"], []), "only\r\n");
  });
});

function campaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: "3f6c0f6e-2a7b-4b8e-9d55-1c1a3b0b7e21",
    name: "test",
    status: "running",
    searchSpace: "nas-bench-201",
    evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
    strategy: { kind: "graph-vae" },
    budget: { evaluations: 100, perRound: 10 },
    seed: 1,
    progress: { evaluations: 40, budget: 100, pending: 10, failed: 0, cached: 0, rounds: 4 },
    best: {
      architectureId: "7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6",
      architecture: "|a~0|",
      validationAccuracy: 91.3412,
      testAccuracy: 93.851,
      flops: 1e8,
      params: 1e6,
      graph: null,
    },
    model: null,
    error: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}

describe("progress", () => {
  test("the bar fills in proportion and stays within its width", () => {
    assert.equal(progressBar(0, 100, 10), "[..........]");
    assert.equal(progressBar(40, 100, 10), "[####......]");
    assert.equal(progressBar(99, 100, 10), "[#########.]");
    assert.equal(progressBar(100, 100, 10), "[##########]");
    assert.equal(progressBar(150, 100, 10), "[##########]");
    assert.equal(progressBar(5, 0, 4), "[....]");
  });

  test("the summary names evaluations, round, best so far and status", () => {
    assert.equal(
      progressSummary(campaign()),
      " 40/100  running  round 4  best: valid 91.34%  test 93.85%",
    );
    assert.equal(
      progressSummary(
        campaign({
          status: "queued",
          best: null,
          progress: { evaluations: 0, budget: 20, pending: 0, failed: 2, cached: 0, rounds: 0 },
        }),
      ),
      " 0/20  queued  round 0  2 failed  best: -",
    );
  });

  test("the terminal line is the bar, the summary and the time since the start", () => {
    assert.equal(
      progressLine(campaign(), 10),
      "[####......]  40/100  running  round 4  best: valid 91.34%  test 93.85%",
    );
    assert.equal(
      progressLine(campaign(), 10, 95_000),
      "[####......]  40/100  running  round 4  best: valid 91.34%  test 93.85%  1:35",
    );
  });

  test("clock", () => {
    assert.equal(clock(0), "0:00");
    assert.equal(clock(59_999), "0:59");
    assert.equal(clock(61_000), "1:01");
    assert.equal(clock(3_725_000), "1:02:05");
  });
});
