// The pages with READ_ACCESS=key, in headless Chromium against the whole stack (API and
// coordinator as processes, no workers, so a campaign stays running with its evaluations
// pending): they ask for a key once, keep it in sessionStorage only, send it on every request,
// ask again when it is refused, and the campaign page pauses, resumes and cancels with it.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { findChromium } from "../support/chromium.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";

const ARTIFACTS = new URL("../../test-artifacts/ui/", import.meta.url);
const WRONG_KEY = "nasvae_wrong_0123456789abcdef0123456789";

interface Exchange {
  method: string;
  path: string;
  authorization: string | null;
  status: number;
}

describe("the pages with READ_ACCESS=key", () => {
  let env: TestStack;
  let browser: Browser;

  before(async () => {
    const executablePath = findChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
    [env, browser] = await Promise.all([
      startTestStack("ui-access", 0, { READ_ACCESS: "key" }),
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
    const response = await fetch(`${env.base}${path}`, {
      headers: { authorization: `Bearer ${env.apiKey}` },
    });
    assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
    return (await response.json()) as T;
  }

  /** Every answer of the JSON API to the page, with the key it was sent. */
  function record(page: Page): Exchange[] {
    const exchanges: Exchange[] = [];
    page.on("response", async (response) => {
      const url = new URL(response.url());
      if (url.pathname.startsWith("/ui/") || url.pathname === "/") return;
      exchanges.push({
        method: response.request().method(),
        path: url.pathname,
        authorization: await response.request().headerValue("authorization"),
        status: response.status(),
      });
    });
    return exchanges;
  }

  /** Console errors and failed requests, but for the refusals the test provokes. */
  function watch(page: Page): string[] {
    const problems: string[] = [];
    page.on("console", (message) => {
      const expected = /Failed to load resource: .* (401|409)/.test(message.text());
      if ((message.type() === "error" || message.type() === "warning") && !expected) {
        problems.push(`console ${message.type()}: ${message.text()}`);
      }
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("requestfailed", (request) =>
      problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`),
    );
    return problems;
  }

  async function enterKey(page: Page, key: string, message: RegExp) {
    const form = page.getByTestId("key-form");
    await form.waitFor({ state: "visible" });
    assert.match((await page.getByTestId("key-message").textContent()) ?? "", message);
    await page.getByTestId("key-input").fill(key);
    await page.getByTestId("key-submit").click();
  }

  async function waitForStatus(page: Page, status: string) {
    await page.locator(`[data-testid="campaign-status"]:text-is("${status}")`).waitFor();
  }

  test("a key asked for once, sent on every request, and the campaign's controls", async () => {
    const { id } = await env.createCampaign({
      name: "controlled from the page",
      searchSpace: "nas-bench-201",
      evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
      strategy: { kind: "random" },
      budget: { evaluations: 20, perRound: 10 },
      seed: 5,
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const exchanges = record(page);
    const problems = watch(page);

    // The list: the page loads without a key, then asks for one; a wrong key is asked again.
    await page.goto(`${env.base}/ui/campaigns`);
    await enterKey(page, WRONG_KEY, /needs a key/);
    await enterKey(page, env.apiKey, /refused the key: the API key is not valid/);
    await page.locator(`[data-id="${id}"] [data-testid="campaign-link"]`).waitFor();
    assert.equal(await page.getByTestId("key-form").isHidden(), true);
    assert.equal(await page.getByTestId("forget-key").isVisible(), true);
    // Kept for the browser session only: sessionStorage, no localStorage, no cookie.
    assert.equal(await page.evaluate('sessionStorage.getItem("nasvae.apiKey")'), env.apiKey);
    assert.equal(await page.evaluate("localStorage.length"), 0);
    assert.deepEqual(await context.cookies(), []);

    // The campaign's page, reached by its link: the key is not asked for again.
    await page.locator(`[data-id="${id}"] [data-testid="campaign-link"]`).click();
    await page.waitForURL(`${env.base}/ui/campaigns/${id}`);
    await waitForStatus(page, "running");
    assert.equal(await page.getByTestId("key-form").isHidden(), true);
    const enabled = async () =>
      Promise.all(
        ["pause", "resume", "cancel"].map(async (action) =>
          (await page.getByTestId(`control-${action}`).isEnabled()) ? action : "-",
        ),
      );
    assert.deepEqual(await enabled(), ["pause", "-", "cancel"]);

    // Pause, then resume, each confirmed by the API.
    await page.getByTestId("control-pause").click();
    await waitForStatus(page, "paused");
    const result = page.getByTestId("control-result");
    assert.equal(await result.getAttribute("data-outcome"), "ok");
    assert.equal(await result.textContent(), "Campaign paused: now paused.");
    assert.equal((await api<{ status: string }>(`/campaigns/${id}`)).status, "paused");
    assert.deepEqual(await enabled(), ["-", "resume", "cancel"]);
    await page.screenshot({
      path: new URL("campaign-paused-with-key.png", ARTIFACTS).pathname,
      fullPage: true,
    });
    await page.getByTestId("control-resume").click();
    await waitForStatus(page, "running");
    assert.equal(await result.textContent(), "Campaign resumed: now running.");
    assert.equal((await api<{ status: string }>(`/campaigns/${id}`)).status, "running");

    // A key refused on a control (here: replaced behind the page's back) is asked for again,
    // and the cancel goes through with the new one once confirmed.
    await page.evaluate(`sessionStorage.setItem("nasvae.apiKey", ${JSON.stringify(WRONG_KEY)})`);
    page.once("dialog", (dialog) => dialog.accept());
    await page.getByTestId("control-cancel").click();
    await enterKey(page, env.apiKey, /refused the key/);
    await waitForStatus(page, "cancelled");
    assert.equal(await result.textContent(), "Campaign cancelled: now cancelled.");
    await page.waitForSelector('body[data-state="done"]');
    assert.equal((await api<{ status: string }>(`/campaigns/${id}`)).status, "cancelled");
    assert.deepEqual(await enabled(), ["-", "-", "-"]);

    // The API's refusal is shown as it says it: a page left stale tries to resume it.
    await page.evaluate(
      `document.querySelector('[data-testid="control-resume"]').disabled = false`,
    );
    await page.getByTestId("control-resume").click();
    await page.waitForSelector('[data-testid="control-result"][data-outcome="error"]');
    assert.equal(
      await result.textContent(),
      `Could not resume: campaign ${id} is cancelled; only a paused campaign can be resumed`,
    );
    assert.deepEqual(await enabled(), ["-", "-", "-"]);

    // Every request the pages made carried a key, and every answer given was to the right one.
    assert.ok(exchanges.length > 5, JSON.stringify(exchanges));
    const noKey = exchanges.filter((e) => e.authorization === null);
    assert.deepEqual(
      noKey.map((e) => `${e.method} ${e.path} ${e.status}`),
      ["GET /campaigns 401"],
    );
    for (const exchange of exchanges.filter((e) => e.status !== 401)) {
      assert.equal(exchange.authorization, `Bearer ${env.apiKey}`, JSON.stringify(exchange));
    }
    for (const exchange of exchanges.filter((e) => e.authorization === `Bearer ${WRONG_KEY}`)) {
      assert.equal(exchange.status, 401, JSON.stringify(exchange));
    }
    const controls = exchanges.filter((e) => e.method === "POST").map((e) => e.status);
    assert.deepEqual(controls, [200, 200, 401, 200, 409]);
    assert.deepEqual(problems, []);

    // Forget key: gone from the tab, and the next page asks again.
    await page.getByTestId("forget-key").click();
    await page.getByTestId("key-form").waitFor({ state: "visible" });
    assert.equal(await page.evaluate("sessionStorage.length"), 0);
    await context.close();

    // Another browser session knows no key: an architecture's page asks for it too.
    const rounds = await api<{ items: { trials: { architectureId: string }[] }[] }>(
      `/campaigns/${id}/rounds`,
    );
    const architectureId = rounds.items[0]?.trials[0]?.architectureId;
    assert.ok(architectureId);
    const fresh = await browser.newContext();
    const other = await fresh.newPage();
    await other.goto(`${env.base}/ui/architectures/${architectureId}`);
    await enterKey(other, env.apiKey, /needs a key/);
    await other.waitForSelector('body[data-state="done"]');
    assert.equal(await other.getByTestId("proposal-row").count(), 1);
    await fresh.close();
  });
});
