// The campaigns page, the campaign page and the architecture page. They poll the JSON API and rebuild their tables and
// plots from what it answers. User text (campaign names, architectures, errors) only ever goes
// in through textContent or attribute setters: never as markup.
import {
  cellGraphPlot,
  learningCurvePlot,
  placeholder,
  predictionPlot,
  progressPlot,
  scatterPlot,
} from "./plots.js";

const POLL_MS = 2000;
const FINAL_STATUSES = new Set(["completed", "failed", "cancelled"]);
const STATUSES = new Set(["queued", "running", "paused", "completed", "failed", "cancelled"]);
const DASHBOARD = "/admin/queues";
/** The API's largest page of evaluations. */
const PAGE_SIZE = 1000;
/** Evaluations fetched again on each poll: results recorded at nearly the same time may swap. */
const OVERLAP = 50;

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// ---------------------------------------------------------------------------------------------
// The API key. Asked for when the API answers 401 (reads with READ_ACCESS=key; the campaign
// controls always), kept in this tab's sessionStorage only: never in localStorage or a cookie,
// and gone when the browser session ends. Sent as `Authorization: Bearer KEY` on every request.

const KEY_STORAGE = "nasvae.apiKey";

function storedKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

function storeKey(key) {
  if (key === null) sessionStorage.removeItem(KEY_STORAGE);
  else sessionStorage.setItem(KEY_STORAGE, key);
  const forget = byTestId("forget-key");
  if (forget) forget.hidden = key === null;
}

/** While the key form is shown: resolves once a key has been entered. Shared by every caller. */
let keyWanted = null;

/** Shows the key form saying `why`; resolves once the user has entered a key (now stored). */
function askForKey(why) {
  byTestId("key-message").textContent = why;
  if (keyWanted) return keyWanted;
  keyWanted = new Promise((resolve) => {
    const form = byTestId("key-form");
    const input = byTestId("key-input");
    form.hidden = false;
    input.value = "";
    input.focus();
    const submit = (event) => {
      event.preventDefault();
      const key = input.value.trim();
      // A header value: printable ASCII without spaces (what `nasvae keys create` prints).
      if (!/^[\x21-\x7e]+$/.test(key)) {
        byTestId("key-message").textContent =
          "A key is one word of printable characters, as `nasvae keys create` prints it.";
        return;
      }
      form.removeEventListener("submit", submit);
      form.hidden = true;
      input.value = "";
      storeKey(key);
      keyWanted = null;
      resolve();
    };
    form.addEventListener("submit", submit);
  });
  return keyWanted;
}

/**
 * fetch() with the stored key. A 401 forgets a refused key, asks for one, and sends the request
 * again with it; any other answer is returned as it is.
 */
async function apiFetch(path, init = {}) {
  for (;;) {
    const key = storedKey();
    const headers = { accept: "application/json", ...init.headers };
    if (key !== null) headers.authorization = `Bearer ${key}`;
    const response = await fetch(path, { ...init, headers });
    if (response.status !== 401) return response;
    const body = await response.json().catch(() => null);
    // Another request was answered meanwhile. With a new key: try that one. With a refusal of
    // this same key (now forgotten, the form asking why): wait for the key the form is asking
    // for, rather than resending without one and replacing "refused" with "needs a key".
    if (storedKey() !== key) {
      if (storedKey() === null && keyWanted) await keyWanted;
      continue;
    }
    if (key !== null) storeKey(null);
    await askForKey(
      key === null
        ? "This API needs a key. Enter one (from `nasvae keys create` or API_KEYS): it is kept for this browser session only."
        : `The API refused the key: ${body?.message ?? "401 Unauthorized"}. Enter another.`,
    );
  }
}

async function answerOf(response) {
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(
      response.status,
      body?.message ?? `${response.status} ${response.statusText}`,
    );
  }
  return body;
}

async function getJson(path) {
  return answerOf(await apiFetch(path));
}

async function postJson(path) {
  return answerOf(await apiFetch(path, { method: "POST" }));
}

/** An HTML element with attributes and children (strings become text nodes). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "className") element.className = value;
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    element.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
  }
  return element;
}

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

/** The last segment of the page's path: the id of the campaign or architecture shown. */
const pageId = () => decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() ?? "");

/** A link to an architecture's page, its cell string as text. */
function architectureLink(architectureId, text) {
  return h(
    "a",
    {
      href: `/ui/architectures/${encodeURIComponent(architectureId)}`,
      "data-testid": "architecture-link",
    },
    text,
  );
}

const formatAccuracy = (v) => (v === null || v === undefined ? "–" : `${v.toFixed(2)} %`);
const formatMillions = (v, unit = "") =>
  v === null || v === undefined ? "–" : `${(v / 1e6).toFixed(2)} M${unit}`;
const formatTime = (iso) => (iso ? new Date(iso).toLocaleString() : "–");
function formatDuration(ms) {
  if (ms === null || ms === undefined) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function statusBadge(status, testId) {
  const known = STATUSES.has(status) ? status : "unknown";
  return h("span", { className: `status ${known}`, "data-testid": testId }, status);
}

function progressBar(done, budget) {
  const bar = h("div", { className: "bar" });
  bar.style.width = `${Math.min(100, budget > 0 ? (100 * done) / budget : 0)}%`;
  return h("div", { className: "progress" }, bar);
}

function showError(error) {
  const banner = byTestId("error");
  if (!error) {
    banner.hidden = true;
    return;
  }
  banner.hidden = false;
  if (!(error instanceof ApiError)) {
    banner.textContent = `Could not reach the API (${error.message}); retrying.`;
  } else {
    banner.textContent = error.message;
  }
}

/**
 * Calls `refresh` now and every POLL_MS after it settles, while the tab is visible, until it
 * returns true (nothing more will change). Errors are shown and the polling goes on.
 * Returns a function that asks for the next refresh now rather than at the end of the wait.
 */
function poll(refresh) {
  let timer = null;
  let stopped = false;
  const run = async () => {
    timer = null;
    try {
      stopped = (await refresh()) === true;
      showError(null);
    } catch (error) {
      // A campaign that does not exist will not appear: stop. Anything else may pass: retry.
      if (error instanceof ApiError && error.status === 404) stopped = true;
      // Not an answer of the API: unreachable, or a bug in these pages; the console says which.
      if (!(error instanceof ApiError)) console.error(error);
      showError(error);
    }
    document.body.dataset.state = stopped ? "done" : "live";
    if (!stopped && !document.hidden) timer = setTimeout(run, POLL_MS);
  };
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && !stopped && timer === null) run();
  });
  run();
  return () => {
    if (timer === null) return;
    clearTimeout(timer);
    run();
  };
}

// ---------------------------------------------------------------------------------------------
// /ui/campaigns

function campaignsPage() {
  const tbody = byTestId("campaigns").querySelector("tbody");
  const summary = byTestId("list-summary");
  poll(async () => {
    const page = await getJson("/campaigns?limit=100");
    tbody.replaceChildren(
      ...page.items.map((campaign) =>
        h(
          "tr",
          { "data-testid": "campaign-row", "data-id": campaign.id },
          h(
            "td",
            {},
            h(
              "a",
              {
                href: `/ui/campaigns/${encodeURIComponent(campaign.id)}`,
                "data-testid": "campaign-link",
              },
              campaign.name,
            ),
          ),
          h("td", {}, statusBadge(campaign.status, "campaign-status")),
          h(
            "td",
            {},
            h(
              "div",
              { className: "progress-cell" },
              progressBar(campaign.progress.evaluations, campaign.progress.budget),
              `${campaign.progress.evaluations} / ${campaign.progress.budget}`,
            ),
          ),
          h("td", { className: "num" }, formatAccuracy(campaign.best?.validationAccuracy)),
          h("td", { className: "num" }, formatAccuracy(campaign.best?.testAccuracy)),
          h("td", {}, campaign.strategy.kind),
          h("td", {}, campaign.searchSpace),
          h("td", {}, campaign.evaluator.dataset),
          h("td", {}, formatTime(campaign.createdAt)),
        ),
      ),
    );
    if (page.items.length === 0) {
      tbody.replaceChildren(
        h(
          "tr",
          {},
          h("td", { className: "empty", colspan: 9 }, "No campaign yet: POST one to /campaigns."),
        ),
      );
    }
    const shown = page.total > page.items.length ? `, the newest ${page.items.length} shown` : "";
    summary.textContent = `${page.total} campaign${page.total === 1 ? "" : "s"}${shown} · live, updated ${new Date().toLocaleTimeString()}`;
    return false;
  });
}

// ---------------------------------------------------------------------------------------------
// /ui/campaigns/:id

function campaignPage() {
  const id = pageId();
  const api = `/campaigns/${encodeURIComponent(id)}`;
  /** Rounds by index; completed ones are not asked for again. */
  const rounds = new Map();
  /** Evaluations by architectureId (unique within a campaign). */
  const evaluations = new Map();
  let front = [];
  let frontAt = -1;
  let drawnFor = "";

  async function fetchEvaluations() {
    let offset = Math.max(0, evaluations.size - OVERLAP);
    let total = 0;
    for (;;) {
      const page = await getJson(`${api}/evaluations?limit=${PAGE_SIZE}&offset=${offset}`);
      for (const item of page.items) evaluations.set(item.architectureId, item);
      total = page.total;
      offset += page.items.length;
      if (page.items.length === 0 || offset >= total) break;
    }
    return total;
  }

  async function syncEvaluations() {
    const total = await fetchEvaluations();
    if (evaluations.size !== total) {
      // Results reordered beyond the overlap: start again from the first.
      evaluations.clear();
      await fetchEvaluations();
    }
  }

  async function syncRounds() {
    let from = 0;
    while (rounds.get(from)?.status === "completed") from += 1;
    const page = await getJson(`${api}/rounds?fromRound=${from}`);
    for (const round of page.items) rounds.set(round.index, round);
  }

  const refreshNow = poll(async () => {
    // The campaign first: once it reads as ended, everything fetched after it is final.
    const campaign = await getJson(api);
    await Promise.all([syncRounds(), syncEvaluations()]);
    if (frontAt !== evaluations.size) {
      // The front is asked for again whenever the results it covers are not all there are.
      frontAt = evaluations.size;
      front = (await getJson(`${api}/pareto-front`)).items;
      // Results recorded in between: fetch them too, so that every front point is drawn.
      if (front.some((item) => !evaluations.has(item.architectureId))) await syncEvaluations();
    }
    const orderedRounds = [...rounds.values()].sort((a, b) => a.index - b.index);
    renderCampaign(campaign);
    renderPending(campaign, orderedRounds);
    renderRounds(campaign, orderedRounds);
    // The plots only change with new results (thousands of points: not redrawn for nothing).
    const measured = orderedRounds.reduce((n, r) => n + r.counts.completed, 0);
    const final = FINAL_STATUSES.has(campaign.status);
    const drawn = `${evaluations.size} ${front.length} ${measured} ${campaign.best?.architectureId}`;
    if (drawn !== drawnFor || final) {
      drawnFor = drawn;
      const recorded = [...evaluations.values()].sort(
        (a, b) =>
          a.recordedAt.localeCompare(b.recordedAt) ||
          a.architectureId.localeCompare(b.architectureId),
      );
      renderBest(campaign);
      byTestId("progress-plot").replaceChildren(progressPlot(recorded, campaign.progress.budget));
      byTestId("scatter-plot").replaceChildren(scatterPlot(recorded, front));
      byTestId("prediction-plot").replaceChildren(predictionPlot(predictions(orderedRounds)));
      renderTop(recorded);
    }
    return final;
  });
  setUpControls(api, () => refreshNow());
}

/** The statuses each control accepts (CONTROL_FROM of packages/db); the API has the last word. */
const CONTROL_FROM = {
  pause: ["queued", "running"],
  resume: ["paused"],
  cancel: ["queued", "running", "paused"],
};
const CONTROL_DONE = { pause: "paused", resume: "resumed", cancel: "cancelled" };

/** The campaign status the buttons were last set for. */
let controlsStatus = null;

/** Enables the buttons that the campaign's status allows. */
function renderControls(status) {
  controlsStatus = status;
  for (const [action, from] of Object.entries(CONTROL_FROM)) {
    byTestId(`control-${action}`).disabled = !from.includes(status);
  }
}

/**
 * The pause / resume / cancel buttons: each POSTs /campaigns/:id/<action> with the key (asked
 * for on a 401), shows the outcome or the API's message, and refreshes the page.
 */
function setUpControls(api, refresh) {
  const result = byTestId("control-result");
  for (const action of Object.keys(CONTROL_FROM)) {
    const button = byTestId(`control-${action}`);
    button.addEventListener("click", async () => {
      if (
        action === "cancel" &&
        !window.confirm("Cancel this campaign? Its pending evaluations are dropped; it is final.")
      ) {
        return;
      }
      const buttons = Object.keys(CONTROL_FROM).map((name) => byTestId(`control-${name}`));
      for (const b of buttons) b.disabled = true;
      result.className = "muted small";
      result.textContent = `${action}…`;
      delete result.dataset.outcome;
      try {
        const campaign = await postJson(`${api}/${action}`);
        result.textContent = `Campaign ${CONTROL_DONE[action]}: now ${campaign.status}.`;
        result.dataset.outcome = "ok";
        renderCampaign(campaign);
      } catch (error) {
        result.className = "banner small";
        result.textContent = `Could not ${action}: ${error.message}`;
        result.dataset.outcome = "error";
        renderControls(controlsStatus);
        if (!(error instanceof ApiError)) console.error(error);
      }
      refresh();
    });
  }
}

function predictions(rounds) {
  return rounds.flatMap((round) =>
    round.trials
      .filter((t) => t.predictedAccuracy !== null && t.validationAccuracy !== null)
      .map((t) => ({
        predicted: t.predictedAccuracy,
        measured: t.validationAccuracy,
        round: round.index,
        architecture: t.architecture,
      })),
  );
}

function facts(entries) {
  return entries
    .filter(([, value]) => value !== null && value !== undefined && value !== "")
    .flatMap(([term, value, className]) => [h("dt", {}, term), h("dd", { className }, value)]);
}

function jobLink(queue, jobId, text) {
  return h(
    "a",
    { href: `${DASHBOARD}/queue/${encodeURIComponent(queue)}/${encodeURIComponent(jobId)}` },
    text,
  );
}

function renderCampaign(campaign) {
  renderControls(campaign.status);
  document.title = `${campaign.name} · nasvae`;
  byTestId("campaign-name").textContent = campaign.name;
  const status = byTestId("campaign-status");
  status.textContent = campaign.status;
  status.className = `status ${STATUSES.has(campaign.status) ? campaign.status : "unknown"}`;
  const { progress } = campaign;
  const bar = byTestId("progress-bar");
  bar.style.width = `${Math.min(100, (100 * progress.evaluations) / Math.max(1, progress.budget))}%`;
  const live = FINAL_STATUSES.has(campaign.status)
    ? "final"
    : `live, updated ${new Date().toLocaleTimeString()}`;
  byTestId("progress-text").textContent =
    `${progress.evaluations} of ${progress.budget} evaluations · ${progress.pending} pending · ${progress.failed} failed · ${progress.cached} cached · ${progress.rounds} round${progress.rounds === 1 ? "" : "s"} · ${live}`;
  const { kind, ...settings } = campaign.strategy;
  const elapsed = campaign.startedAt
    ? (campaign.finishedAt ? new Date(campaign.finishedAt) : new Date()) -
      new Date(campaign.startedAt)
    : null;
  byTestId("campaign-facts").replaceChildren(
    ...facts([
      ["Strategy", Object.keys(settings).length > 0 ? `${kind} ${JSON.stringify(settings)}` : kind],
      ["Evaluator", `${campaign.evaluator.kind}, ${campaign.evaluator.dataset}`],
      ["Search space", campaign.searchSpace],
      [
        "Budget",
        `${campaign.budget.evaluations} evaluations, ${campaign.budget.perRound} per round`,
      ],
      ["Seed", String(campaign.seed)],
      [
        "Model",
        campaign.model
          ? `${campaign.model.strategy} on ${campaign.model.backend ?? "?"}, ${campaign.model.snapshots} snapshots (last round ${campaign.model.lastRound}, ${(campaign.model.sizeBytes / 1e6).toFixed(2)} MB)`
          : null,
      ],
      ["Created", formatTime(campaign.createdAt)],
      ["Started", campaign.startedAt ? formatTime(campaign.startedAt) : null],
      ["Finished", campaign.finishedAt ? formatTime(campaign.finishedAt) : null],
      ["Running time", elapsed === null ? null : formatDuration(elapsed)],
      ["Error", campaign.error],
    ]),
  );
  byTestId("links").replaceChildren(
    jobLink("campaigns", `campaign-${campaign.id}`, "Campaign job in the queue dashboard"),
    h("a", { href: `/campaigns/${encodeURIComponent(campaign.id)}` }, "JSON"),
    h("a", { href: `/campaigns/${encodeURIComponent(campaign.id)}/rounds` }, "Rounds JSON"),
  );
}

function renderBest(campaign) {
  const best = campaign.best;
  const container = byTestId("cell-graph");
  if (!best) {
    byTestId("best-facts").replaceChildren();
    container.replaceChildren(placeholder("no evaluation yet"));
    return;
  }
  byTestId("best-facts").replaceChildren(
    ...facts([
      ["Cell", architectureLink(best.architectureId, best.architecture), "arch"],
      ["Validation", formatAccuracy(best.validationAccuracy)],
      ["Test", formatAccuracy(best.testAccuracy)],
      ["FLOPs", formatMillions(best.flops)],
      ["Params", formatMillions(best.params)],
    ]),
  );
  container.replaceChildren(cellGraphPlot(best.graph));
}

function emptyRow(columns, text) {
  return h("tr", {}, h("td", { className: "empty", colspan: columns }, text));
}

function renderPending(campaign, rounds) {
  const rows = rounds.flatMap((round) =>
    round.trials
      .filter((trial) => trial.status === "pending")
      .map((trial) =>
        h(
          "tr",
          { "data-testid": "pending-row" },
          h("td", {}, String(round.index)),
          h("td", { className: "arch" }, trial.architecture),
          h("td", { className: "num" }, formatAccuracy(trial.predictedAccuracy)),
          h("td", {}, jobLink("evaluations", `trial-${trial.id}`, "job")),
        ),
      ),
  );
  const idle = FINAL_STATUSES.has(campaign.status)
    ? "none: the campaign has ended"
    : "none right now";
  byTestId("pending")
    .querySelector("tbody")
    .replaceChildren(...(rows.length > 0 ? rows : [emptyRow(4, idle)]));
}

function renderRounds(campaign, rounds) {
  const rows = [...rounds].reverse().map((round) => {
    const measured = round.trials.map((t) => t.validationAccuracy).filter((v) => v !== null);
    return h(
      "tr",
      { "data-testid": "round-row" },
      h("td", { className: "num" }, String(round.index)),
      h("td", {}, statusBadge(round.status === "running" ? "running" : round.status)),
      h("td", { className: "source", "data-testid": "round-source" }, roundSource(campaign, round)),
      h("td", { className: "num" }, String(round.proposed)),
      h("td", { className: "num" }, String(round.counts.completed)),
      h("td", { className: "num" }, String(round.counts.pending)),
      h("td", { className: "num" }, String(round.counts.failed)),
      h("td", { className: "num" }, String(round.counts.cached)),
      h("td", { className: "num" }, formatAccuracy(measured.length ? Math.max(...measured) : null)),
      h(
        "td",
        {
          className: "num",
          title:
            round.info.trainMs !== null ? `training ${formatDuration(round.info.trainMs)}` : null,
        },
        formatDuration(round.info.proposeMs),
        round.info.backend ? ` (${round.info.backend})` : "",
      ),
      h("td", { className: "num" }, formatDuration(round.durationMs)),
      h("td", {}, jobLink("rounds", `campaign-${campaign.id}-round-${round.index}`, "job")),
    );
  });
  byTestId("rounds")
    .querySelector("tbody")
    .replaceChildren(...(rows.length > 0 ? rows : [emptyRow(12, "no round yet")]));
}

/** "a–b" of a list of numbers, "a" when all are equal, null when there are none. */
function spread(values) {
  if (!values || values.length === 0) return null;
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? String(low) : `${low}–${high}`;
}

/**
 * Where a round's candidates came from: the model (with how far its chosen proposals were from
 * the nearest top cell, in edits, and on a table's domain how far the decodes were snapped) or
 * random sampling; other strategies' phases as they are.
 */
function roundSource(campaign, round) {
  const phase = round.info.phase;
  if (phase === null || phase === undefined) return round.strategy;
  if (phase !== "model") return phase;
  const parts = ["model"];
  const edits = spread(round.info.chosenEdits);
  if (edits !== null) parts.push(`edits ${edits}`);
  // Neighbours of the best cell that the predictor ranked above the decodes: chosen by the model,
  // not generated by it.
  const neighbours = round.info.chosenFromNeighbours ?? 0;
  if (neighbours > 0) parts.push(`${neighbours} best-cell neighbour${neighbours === 1 ? "" : "s"}`);
  const snaps = spread(round.info.chosenSnapDistances);
  if (snaps !== null && campaign.evaluator.kind === "enas-6-table") parts.push(`snapped ${snaps}`);
  const fromModel = round.info.chosenEdits?.length;
  const topUp = fromModel === undefined ? 0 : round.proposed - fromModel;
  if (topUp > 0) parts.push(`${topUp} random`);
  return parts.join(", ");
}

function renderTop(recorded) {
  const top = [...recorded]
    .sort((a, b) => b.validationAccuracy - a.validationAccuracy || b.testAccuracy - a.testAccuracy)
    .slice(0, 10);
  const rows = top.map((item, i) =>
    h(
      "tr",
      { "data-testid": "top-row" },
      h("td", { className: "num" }, String(i + 1)),
      h("td", { className: "arch" }, architectureLink(item.architectureId, item.architecture)),
      h("td", { className: "num" }, formatAccuracy(item.validationAccuracy)),
      h("td", { className: "num" }, formatAccuracy(item.testAccuracy)),
      h("td", { className: "num" }, formatMillions(item.flops)),
      h("td", { className: "num" }, formatMillions(item.params)),
      h("td", { className: "num" }, String(item.round)),
    ),
  );
  byTestId("top")
    .querySelector("tbody")
    .replaceChildren(...(rows.length > 0 ? rows : [emptyRow(7, "no evaluation yet")]));
}

// ---------------------------------------------------------------------------------------------
// /ui/architectures/:id

function architecturePage() {
  const id = pageId();
  const api = `/architectures/${encodeURIComponent(id)}`;
  let drawnFor = "";
  poll(async () => {
    const architecture = await getJson(api);
    // Nothing changes once no proposal waits for its result and no training run is under way.
    const final =
      architecture.unfinishedRuns.length === 0 &&
      architecture.trials.every((trial) => trial.status !== "pending");
    // Curves are only redrawn when a point or an evaluation was added.
    const drawn = JSON.stringify([
      architecture.evaluations.map((e) => [e.id, e.learningCurve.length]),
      architecture.unfinishedRuns.map((r) => [r.evaluatorFingerprint, r.learningCurve.length]),
      architecture.trials.map((t) => t.status),
    ]);
    if (drawn !== drawnFor || final) {
      drawnFor = drawn;
      renderArchitecture(architecture);
    }
    return final;
  });
}

function evaluatorName(evaluator) {
  const { kind, dataset, ...settings } = evaluator;
  const name = dataset ? `${kind}, ${dataset}` : String(kind);
  return Object.keys(settings).length > 0 ? `${name} ${JSON.stringify(settings)}` : name;
}

function renderArchitecture(architecture) {
  document.title = `${architecture.architecture} · nasvae`;
  byTestId("architecture-facts").replaceChildren(
    ...facts([
      ["Cell", architecture.architecture, "arch"],
      ["Search space", architecture.searchSpace],
      ["First seen", formatTime(architecture.firstSeenAt)],
      ["Canonical hash", architecture.canonicalHash, "arch"],
    ]),
  );
  byTestId("cell-graph").replaceChildren(cellGraphPlot(architecture.graph));
  byTestId("links").replaceChildren(
    h("a", { href: `/architectures/${encodeURIComponent(architecture.id)}` }, "JSON"),
  );

  const proposals = architecture.trials.map((trial) =>
    h(
      "tr",
      { "data-testid": "proposal-row" },
      h(
        "td",
        {},
        h(
          "a",
          { href: `/ui/campaigns/${encodeURIComponent(trial.campaignId)}` },
          trial.campaignName,
        ),
      ),
      h("td", { className: "num" }, String(trial.round)),
      h("td", {}, trial.cached ? `${trial.status} (cached)` : trial.status),
      h("td", { className: "num" }, formatAccuracy(trial.predictedAccuracy)),
    ),
  );
  byTestId("proposals")
    .querySelector("tbody")
    .replaceChildren(...(proposals.length > 0 ? proposals : [emptyRow(4, "no campaign")]));

  const rows = architecture.evaluations.map((evaluation) =>
    h(
      "tr",
      { "data-testid": "evaluation-row", "data-id": evaluation.id },
      h("td", { "data-testid": "evaluator" }, evaluatorName(evaluation.evaluator)),
      h(
        "td",
        { className: "num", "data-testid": "validation-accuracy" },
        formatAccuracy(evaluation.validationAccuracy),
      ),
      h(
        "td",
        { className: "num", "data-testid": "test-accuracy" },
        formatAccuracy(evaluation.testAccuracy),
      ),
      h("td", { className: "num" }, formatMillions(evaluation.flops)),
      h("td", { className: "num" }, formatMillions(evaluation.params)),
      h("td", { className: "num" }, evaluation.epochs === null ? "–" : String(evaluation.epochs)),
      h("td", { "data-testid": "stopped-early" }, evaluation.stoppedEarly ? "yes" : "no"),
      h(
        "td",
        {},
        typeof evaluation.metrics?.backend === "string" ? evaluation.metrics.backend : "–",
      ),
      h("td", {}, formatTime(evaluation.evaluatedAt)),
    ),
  );
  byTestId("evaluations")
    .querySelector("tbody")
    .replaceChildren(...(rows.length > 0 ? rows : [emptyRow(9, "not evaluated yet")]));

  // One plot per run with epochs: finished evaluations, then runs still training (or stopped).
  const runs = [
    ...architecture.evaluations.map((evaluation, i) => ({
      key: `evaluation-${i}`,
      title: `Learning curve: ${evaluatorName(evaluation.evaluator)}`,
      curve: evaluation.learningCurve,
    })),
    ...architecture.unfinishedRuns.map((run, i) => ({
      key: `unfinished-${i}`,
      title: `Learning curve of a run without a result yet (evaluator ${run.evaluatorFingerprint.slice(0, 12)})`,
      curve: run.learningCurve,
    })),
  ].filter((run) => run.curve.length > 0);
  byTestId("curves").replaceChildren(
    ...runs.map((run) =>
      h(
        "figure",
        { className: "card", "data-testid": "learning-curve" },
        h("figcaption", {}, run.title),
        h("div", { className: "plot" }, learningCurvePlot(run.curve, run.key)),
      ),
    ),
  );
}

/** The header's "Forget key" button: shown while a key is stored; forgets it and reloads. */
function setUpForgetKey() {
  const forget = byTestId("forget-key");
  forget.hidden = storedKey() === null;
  forget.addEventListener("click", () => {
    storeKey(null);
    location.reload();
  });
}

setUpForgetKey();
if (document.body.dataset.page === "campaigns") campaignsPage();
else if (document.body.dataset.page === "campaign") campaignPage();
else if (document.body.dataset.page === "architecture") architecturePage();
