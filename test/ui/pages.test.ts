// The campaign pages in headless Chromium against the whole stack (API, coordinator, workers as
// processes): a graph-VAE campaign followed live to the end, and a random one beside it.
// Screenshots go to test-artifacts/ui/.
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { startTestStack, type TestStack } from "../support/test-stack.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = new URL("../../test-artifacts/ui/", import.meta.url);

const evaluator = { kind: "nas-bench-201", dataset: "cifar10" };
// Markup in the name: the pages must show it as text.
const GRAPH_VAE_NAME = `<b>graph-vae</b> & "friends" <script>alert(1)</script>`;

interface Trial {
  predictedAccuracy: number | null;
  validationAccuracy: number | null;
}

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
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary`,
      );
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    [env, browser] = await Promise.all([
      startTestStack("ui"),
      chromium.launch({
        executablePath: CHROMIUM,
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
      best: { architecture: string; graph: { edges: unknown[] } };
    }>(`/campaigns/${id}`);
    const evaluations = await api<{ total: number }>(`/campaigns/${id}/evaluations?limit=1000`);
    const front = await api<{ items: unknown[] }>(`/campaigns/${id}/pareto-front`);
    const rounds = await api<{ items: { trials: Trial[] }[] }>(`/campaigns/${id}/rounds`);
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
    return { predicted };
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
    const { predicted } = await checkFinishedPage(campaign.page, id);
    assert.ok(predicted >= 10, `${predicted} predictions drawn (rounds 1 and 2 are model-based)`);
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
