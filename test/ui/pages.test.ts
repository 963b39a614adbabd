// The campaign pages in headless Chromium against the whole stack (API, coordinator, workers as
// processes): a graph-VAE campaign followed live to the end, and a random one beside it; then
// architecture pages of evaluations seeded in the database (a trained one with its learning
// curve, table ones without a test accuracy). Screenshots go to test-artifacts/ui/.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import {
  createCampaign,
  createRound,
  finishCampaign,
  finishRound,
  recordEpoch,
  recordEvaluation,
} from "@nasvae/db";
import { type Browser, chromium, type Page } from "playwright-core";
import { findChromium } from "../support/chromium.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";

const ARTIFACTS = new URL("../../test-artifacts/ui/", import.meta.url);

const evaluator = { kind: "nas-bench-201", dataset: "cifar10" };
// Markup in the name: the pages must show it as text.
const GRAPH_VAE_NAME = `<b>graph-vae</b> & "friends" <script>alert(1)</script>`;

interface Trial {
  predictedAccuracy: number | null;
  validationAccuracy: number | null;
}

interface Round {
  index: number;
  strategy: string;
  proposed: number;
  info: { phase: string | null; chosenEdits: number[] | null };
  trials: Trial[];
}

/** A NAS-Bench-201 cell with 5 operations that are not `none`, and ENAS-6 cells. */
const TRAINED_CELL =
  "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|";
const ENAS_CELLS = [
  "[[1],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]",
  "[[0],[0,1],[0,0,1],[0,1,0,1],[0,0,0,0,1],[0,0,0,0,0,1]]",
  "[[2],[3,0],[4,1,0],[5,0,1,0],[1,0,0,1,0],[0,1,0,0,0,0]]",
  "[[3],[3,1],[3,0,0],[3,0,0,0],[3,0,0,0,0],[3,1,1,1,1,1]]",
  "[[4],[2,1],[1,0,1],[0,0,0,1],[5,1,0,0,1],[2,0,1,0,0,0]]",
];

/** Everything a page reports that should not happen: console errors, failed requests. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) =>
    problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`),
  );
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()}`);
  });
  return problems;
}

describe("campaign pages in a browser", () => {
  let env: TestStack;
  let browser: Browser;

  before(async () => {
    const executablePath = findChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
    [env, browser] = await Promise.all([
      startTestStack("ui"),
      chromium.launch({
        executablePath,
        args: ["--headless", "--no-sandbox", "--disable-gpu"],
      }),
    ]);
  });
  after(async () => {
    await browser?.close();
    await env?.stop();
  });

  async function api<T>(path: string): Promise<T> {
    const response = await fetch(`${env.base}${path}`);
    assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
    return (await response.json()) as T;
  }

  async function post(body: object): Promise<string> {
    const response = await fetch(`${env.base}/campaigns`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${env.apiKey}` },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 201, await response.clone().text());
    return ((await response.json()) as { id: string }).id;
  }

  async function newPage(): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    return { page, problems: watch(page) };
  }

  /** The page's counts once it has stopped polling, checked against the API's answers. */
  async function checkFinishedPage(page: Page, id: string) {
    const campaign = await api<{
      status: string;
      progress: { evaluations: number; rounds: number };
      best: { architectureId: string; architecture: string; graph: { edges: unknown[] } };
    }>(`/campaigns/${id}`);
    const evaluations = await api<{ total: number }>(`/campaigns/${id}/evaluations?limit=1000`);
    const front = await api<{ items: unknown[] }>(`/campaigns/${id}/pareto-front`);
    const rounds = await api<{ items: Round[] }>(`/campaigns/${id}/rounds`);
    const predicted = rounds.items
      .flatMap((round) => round.trials)
      .filter((t) => t.predictedAccuracy !== null && t.validationAccuracy !== null).length;
    const count = (selector: string) => page.locator(selector).count();

    assert.equal(campaign.status, "completed");
    assert.equal(await page.getByTestId("campaign-status").textContent(), "completed");
    assert.equal(evaluations.total, campaign.progress.evaluations);
    assert.equal(await count('[data-testid="scatter-point"]'), evaluations.total);
    assert.equal(await count('[data-testid="scatter-point"].pareto'), front.items.length);
    assert.ok(front.items.length > 0);
    assert.equal(await count('[data-testid="progress-point"]'), evaluations.total);
    assert.equal(await count('[data-testid="progress-line"]'), 1);
    assert.equal(await count('[data-testid="prediction-point"]'), predicted);
    assert.equal(await count('[data-testid="round-row"]'), campaign.progress.rounds);
    assert.equal(await count('[data-testid="pending-row"]'), 0);
    assert.equal(await count('[data-testid="top-row"]'), Math.min(10, evaluations.total));
    // Each round says where its candidates came from, newest first.
    const sources = await page.getByTestId("round-source").allTextContents();
    assert.equal(sources.length, rounds.items.length);
    [...rounds.items].reverse().forEach((round, i) => {
      const source = sources[i] ?? "";
      if (round.info.phase === "model") {
        // graph-vae rounds report how far each chosen proposal was from the nearest top cell.
        assert.ok(
          round.info.chosenEdits && round.info.chosenEdits.length > 0,
          `round ${round.index}`,
        );
        assert.match(source, /^model, edits \d+(–\d+)?/, `round ${round.index}: ${source}`);
      } else {
        // Random and evolution rounds: the phase, or the strategy where it reports none.
        assert.equal(source, round.info.phase ?? round.strategy, `round ${round.index}`);
      }
    });
    // The best cell and every leaderboard row link to their architecture's page.
    assert.equal(
      await page
        .getByTestId("best-facts")
        .locator(`a[href="/ui/architectures/${campaign.best.architectureId}"]`)
        .count(),
      1,
    );
    assert.equal(
      await count('[data-testid="top-row"] a[data-testid="architecture-link"]'),
      Math.min(10, evaluations.total),
    );
    // NB201: one edge per op that is not `none`.
    const edges = campaign.best.architecture.match(/[a-z_0-9]+~\d/g) ?? [];
    const drawn = edges.filter((edge) => !edge.startsWith("none~")).length;
    assert.equal(campaign.best.graph.edges.length, drawn);
    assert.equal(await count('[data-testid="cell-edge"]'), drawn);
    assert.equal(await count('[data-testid="cell-node"]'), 4);
    assert.equal(
      await page.locator(`a[href="/admin/queues/queue/campaigns/campaign-${id}"]`).count(),
      1,
    );
    // Every queue dashboard link names a job that bull-board knows.
    const jobLinks = await page
      .locator('a[href^="/admin/queues/queue/"]')
      .evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
    assert.equal(jobLinks.length, 1 + campaign.progress.rounds);
    for (const href of jobLinks) {
      const job = href.replace("/admin/queues/queue/", "/admin/queues/api/queues/");
      const response = await fetch(`${env.base}${job}`, {
        headers: { authorization: `Bearer ${env.apiKey}` },
      });
      assert.equal(response.status, 200, `${href}: ${await response.text()}`);
    }
    return { predicted, rounds: rounds.items };
  }

  test("the list and a campaign followed live to the end, with every point drawn", async () => {
    const id = await post({
      name: GRAPH_VAE_NAME,
      searchSpace: "nas-bench-201",
      evaluator,
      strategy: { kind: "graph-vae", pretrainSteps: 150, finetuneSteps: 20 },
      budget: { evaluations: 30, perRound: 10 },
      seed: 3,
    });
    const randomId = await post({
      name: "random baseline",
      searchSpace: "nas-bench-201",
      evaluator,
      strategy: { kind: "random" },
      budget: { evaluations: 20, perRound: 10 },
      seed: 4,
    });

    // The list, reached through the redirect at /.
    const list = await newPage();
    await list.page.goto(`${env.base}/`);
    assert.equal(new URL(list.page.url()).pathname, "/ui/campaigns");
    await list.page.locator('[data-testid="campaign-row"]').nth(1).waitFor();
    const link = list.page.locator(`[data-id="${id}"] [data-testid="campaign-link"]`);
    assert.equal(await link.textContent(), GRAPH_VAE_NAME);
    assert.equal(await link.getAttribute("href"), `/ui/campaigns/${id}`);
    assert.equal(
      await list.page.locator('[data-testid="campaigns"] b, script:not([src])').count(),
      0,
    );

    // The campaign page, opened while the campaign runs, follows it to the end.
    const campaign = await newPage();
    await campaign.page.goto(`${env.base}/ui/campaigns/${id}`);
    const status = campaign.page.getByTestId("campaign-status");
    await campaign.page.waitForSelector('body[data-state="live"], body[data-state="done"]');
    const first = await status.textContent();
    assert.ok(first === "queued" || first === "running", `first seen: ${first}`);
    // A look at it live, once results come in (if it has not finished by then).
    await campaign.page
      .locator('[data-testid="scatter-point"]')
      .first()
      .waitFor({ timeout: 60_000 });
    if ((await status.textContent()) === "running") {
      await campaign.page.screenshot({
        path: new URL("campaign-running.png", ARTIFACTS).pathname,
        fullPage: true,
      });
    }
    await campaign.page.waitForSelector('body[data-state="done"]', { timeout: 80_000 });
    assert.equal(await campaign.page.getByTestId("campaign-name").textContent(), GRAPH_VAE_NAME);
    assert.equal(await campaign.page.title(), `${GRAPH_VAE_NAME} · nasvae`);
    const { predicted, rounds } = await checkFinishedPage(campaign.page, id);
    assert.ok(predicted >= 10, `${predicted} predictions drawn (rounds 1 and 2 are model-based)`);
    assert.deepEqual(
      rounds.map((round) => round.info.phase),
      ["random", "model", "model"],
    );
    await campaign.page.screenshot({
      path: new URL("campaign.png", ARTIFACTS).pathname,
      fullPage: true,
    });

    // The random campaign: everything but predictions.
    const random = await newPage();
    await random.page.goto(`${env.base}/ui/campaigns/${randomId}`);
    await random.page.waitForSelector('body[data-state="done"]', { timeout: 30_000 });
    await checkFinishedPage(random.page, randomId);
    assert.match(
      (await random.page.getByTestId("prediction-plot").textContent()) ?? "",
      /no predictions/,
    );
    await random.page.screenshot({
      path: new URL("campaign-random.png", ARTIFACTS).pathname,
      fullPage: true,
    });

    // The list has caught up with both.
    await list.page
      .locator('[data-testid="campaign-row"] .status.completed')
      .nth(1)
      .waitFor({ timeout: 10_000 });
    await list.page.screenshot({
      path: new URL("campaigns.png", ARTIFACTS).pathname,
      fullPage: true,
    });

    for (const { page, problems } of [list, campaign, random]) {
      assert.deepEqual(problems, [], page.url());
      await page.close();
    }
  });

  /** A campaign seeded in the database, its rounds' cells evaluated, and ended. */
  async function seedCampaign(options: {
    name: string;
    searchSpace: string;
    evaluator: { kind: string; dataset: string };
    rounds: {
      cells: string[];
      info: Record<string, unknown>;
      /** Per cell: validation, test accuracy, and for trained cells the run's details. */
      results: {
        validationAccuracy: number;
        testAccuracy: number | null;
        stoppedEarly?: boolean;
        epochs?: number;
        backend?: string;
        curve?: { trainAccuracy: number; validationAccuracy: number }[];
      }[];
    }[];
  }) {
    const { db } = env.database;
    const fingerprint = `ui-seed-${options.name}`;
    const campaign = await createCampaign(db, {
      name: options.name,
      searchSpace: options.searchSpace,
      evaluator: options.evaluator,
      evaluatorFingerprint: fingerprint,
      strategy: { kind: "graph-vae" },
      budgetEvaluations: options.rounds.reduce((n, round) => n + round.cells.length, 0),
      roundSize: options.rounds[0]?.cells.length ?? 1,
      seed: 1,
    });
    const architectures: string[][] = [];
    for (const [index, spec] of options.rounds.entries()) {
      const round = await createRound(db, {
        campaignId: campaign.id,
        index,
        strategy: "graph-vae",
        searchSpace: options.searchSpace,
        evaluatorFingerprint: fingerprint,
        candidates: spec.cells.map((archString) => ({
          archString,
          canonicalHash: `${fingerprint}:${archString}`,
          prediction: spec.info.phase === "model" ? { accuracy: 80 } : {},
        })),
        info: spec.info as Parameters<typeof createRound>[1]["info"],
      });
      for (const [i, trial] of round.trials.entries()) {
        const result = spec.results[i];
        assert.ok(result);
        for (const [e, point] of (result.curve ?? []).entries()) {
          await recordEpoch(db, {
            architectureId: trial.architectureId,
            evaluatorFingerprint: fingerprint,
            epoch: e + 1,
            trainLoss: 2 / (e + 1),
            trainAccuracy: point.trainAccuracy,
            validationLoss: 2.2 / (e + 1),
            validationAccuracy: point.validationAccuracy,
            learningRate: 0.1,
            durationMs: 1000,
            worker: "worker-ui",
          });
        }
        await recordEvaluation(db, {
          trialId: trial.id,
          architectureId: trial.architectureId,
          evaluatorFingerprint: fingerprint,
          evaluator: options.evaluator,
          result: {
            validationAccuracy: result.validationAccuracy,
            testAccuracy: result.testAccuracy,
            flops: 50e6 + i * 10e6,
            params: 0.5e6 + i * 0.1e6,
            ...(result.backend ? { metrics: { source: "train", backend: result.backend } } : {}),
            stoppedEarly: result.stoppedEarly ?? false,
            epochs: result.epochs ?? null,
          },
          worker: "worker-ui",
          durationMs: 4000,
        });
      }
      await finishRound(db, round.id);
      architectures.push(round.trials.map((trial) => trial.architectureId));
    }
    await finishCampaign(db, campaign.id, "completed");
    return { id: campaign.id, architectures };
  }

  test("an architecture page: the cell, its evaluation and the learning curve of its training", async () => {
    const curve = [
      { trainAccuracy: 35, validationAccuracy: 32 },
      { trainAccuracy: 52, validationAccuracy: 47.5 },
      { trainAccuracy: 63, validationAccuracy: 56 },
      { trainAccuracy: 70.25, validationAccuracy: 61 },
    ];
    const { id, architectures } = await seedCampaign({
      name: "trained <i>cells</i>",
      searchSpace: "nas-bench-201",
      evaluator: { kind: "train", dataset: "cifar10" },
      rounds: [
        {
          cells: [TRAINED_CELL],
          info: { phase: "random" },
          results: [
            {
              validationAccuracy: 61,
              testAccuracy: 60.5,
              stoppedEarly: true,
              epochs: 4,
              backend: "tensorflow",
              curve,
            },
          ],
        },
      ],
    });
    const architectureId = architectures[0]?.[0];
    assert.ok(architectureId);
    const { page, problems } = await newPage();
    await page.goto(`${env.base}/ui/architectures/${architectureId}`);
    await page.waitForSelector('body[data-state="done"]');
    const count = (selector: string) => page.locator(selector).count();

    assert.equal(await page.title(), `${TRAINED_CELL} · nasvae`);
    assert.match(
      (await page.getByTestId("architecture-facts").textContent()) ?? "",
      /nas-bench-201/,
    );
    assert.equal(await count('[data-testid="cell-node"]'), 4);
    assert.equal(await count('[data-testid="cell-edge"]'), 5);
    // The evaluation, every figure of it.
    const row = page.getByTestId("evaluation-row");
    assert.equal(await row.count(), 1);
    const cells = await row.locator("td").allTextContents();
    assert.equal(cells[0], "train, cifar10");
    assert.deepEqual(cells.slice(1, 8), [
      "61.00 %",
      "60.50 %",
      "50.00 M",
      "0.50 M",
      "4",
      "yes",
      "tensorflow",
    ]);
    // The learning curve: validation and train accuracy, a point per epoch each.
    assert.equal(await count('[data-testid="learning-curve"]'), 1);
    assert.equal(await count('[data-testid="curve-line"]'), 2);
    assert.equal(await count('[data-testid="curve-point"][data-series="validation"]'), 4);
    assert.equal(await count('[data-testid="curve-point"][data-series="train"]'), 4);
    const titles = await page
      .locator('[data-testid="curve-point"][data-series="validation"] title')
      .allTextContents();
    assert.deepEqual(titles, [
      "epoch 1: validation 32.00 %",
      "epoch 2: validation 47.50 %",
      "epoch 3: validation 56.00 %",
      "epoch 4: validation 61.00 %",
    ]);
    // Higher accuracy is drawn higher (smaller y).
    const ys = await page
      .locator('[data-testid="curve-point"][data-series="validation"]')
      .evaluateAll((points) => points.map((point) => Number(point.getAttribute("cy"))));
    assert.ok(
      ys.every((y, i) => i === 0 || y < (ys[i - 1] ?? 0)),
      ys.join(" "),
    );
    // The campaign that proposed it, its name as text.
    const proposal = page.getByTestId("proposal-row");
    assert.equal(await proposal.count(), 1);
    assert.equal(await proposal.locator("a").textContent(), "trained <i>cells</i>");
    assert.equal(await proposal.locator("a").getAttribute("href"), `/ui/campaigns/${id}`);
    assert.equal(await page.locator("main i, script:not([src])").count(), 0);
    await page.screenshot({
      path: new URL("architecture-trained.png", ARTIFACTS).pathname,
      fullPage: true,
    });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("a table campaign: its rounds' source, and architecture pages without a test accuracy", async () => {
    const table = (validationAccuracy: number) => ({ validationAccuracy, testAccuracy: null });
    const { id, architectures } = await seedCampaign({
      name: "enas table",
      searchSpace: "enas-macro-6",
      evaluator: { kind: "enas-6-table", dataset: "cifar10" },
      rounds: [
        { cells: ENAS_CELLS.slice(0, 2), info: { phase: "random" }, results: [70, 72].map(table) },
        {
          // Two proposals the model chose (1 and 3 edits from the top cells, one of them snapped 2
          // mutations to reach a table cell, one a neighbour of the best cell it ranked), one
          // sampled at random to fill the round.
          cells: ENAS_CELLS.slice(2, 5),
          info: {
            phase: "model",
            chosenEdits: [3, 1],
            chosenFromNeighbours: 1,
            chosenSnapDistances: [0, 2],
          },
          results: [74, 73, 71].map(table),
        },
      ],
    });

    const campaign = await newPage();
    await campaign.page.goto(`${env.base}/ui/campaigns/${id}`);
    await campaign.page.waitForSelector('body[data-state="done"]');
    assert.deepEqual(await campaign.page.getByTestId("round-source").allTextContents(), [
      "model, edits 1–3, 1 best-cell neighbour, snapped 0–2, 1 random",
      "random",
    ]);
    assert.equal(
      await campaign.page
        .locator('[data-testid="top-row"] [data-testid="architecture-link"]')
        .count(),
      5,
    );
    await campaign.page.screenshot({
      path: new URL("campaign-table.png", ARTIFACTS).pathname,
      fullPage: true,
    });

    // The best cell's link leads to its page: its ENAS-6 cell drawn, its test accuracy "–".
    const bestId = architectures[1]?.[0];
    assert.ok(bestId);
    await campaign.page
      .getByTestId("best-facts")
      .locator(`a[href="/ui/architectures/${bestId}"]`)
      .click();
    await campaign.page.waitForURL(`${env.base}/ui/architectures/${bestId}`);
    await campaign.page.waitForSelector('body[data-state="done"]');
    const page = campaign.page;
    assert.equal(await page.locator('[data-testid="cell-node"]').count(), 8);
    const row = page.getByTestId("evaluation-row");
    assert.equal(await row.count(), 1);
    assert.equal(await row.getByTestId("evaluator").textContent(), "enas-6-table, cifar10");
    assert.equal(await row.getByTestId("validation-accuracy").textContent(), "74.00 %");
    assert.equal(await row.getByTestId("test-accuracy").textContent(), "–");
    assert.equal(await row.getByTestId("stopped-early").textContent(), "no");
    // A table evaluation trains nothing: no learning curve.
    assert.equal(await page.locator('[data-testid="learning-curve"]').count(), 0);
    assert.equal(await page.getByTestId("proposal-row").count(), 1);
    await page.screenshot({
      path: new URL("architecture-table.png", ARTIFACTS).pathname,
      fullPage: true,
    });
    assert.deepEqual(campaign.problems, []);
    await page.close();
  });

  test("an unknown campaign's page says so and stops", async () => {
    const { page, problems } = await newPage();
    const missing = "6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab";
    await page.goto(`${env.base}/ui/campaigns/${missing}`);
    await page.waitForSelector('body[data-state="done"]');
    assert.match((await page.getByTestId("error").textContent()) ?? "", /not found/);
    // The API's 404 (and the browser's console line about it) is the one expected failure.
    const expected = (problem: string) =>
      problem === `404 for ${env.base}/campaigns/${missing}` ||
      /^console error: Failed to load resource: .* 404/.test(problem);
    assert.deepEqual(
      problems.filter((problem) => !expected(problem)),
      [],
    );
    assert.ok(problems.length > 0);
    await page.close();
  });
});
