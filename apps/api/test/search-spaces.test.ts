// Both search spaces through the API: GET /search-spaces, and POST /campaigns refusing what
// cannot run (an evaluator that cannot score the space, a budget larger than what it can score,
// an unknown space) with a 400 naming the problem, nothing written or enqueued.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, beforeEach, describe, test } from "node:test";
import { evaluatorDomain } from "@nasvae/evaluators";
import { getSearchSpace } from "@nasvae/search-space";
import { startTestApi, type TestApi } from "./support.ts";

const API_KEY = `nasvae_test_${randomBytes(16).toString("hex")}`;
const auth = { authorization: `Bearer ${API_KEY}` };

const enasBody = {
  name: "enas table",
  searchSpace: "enas-macro-6",
  evaluator: { kind: "enas-6-table" },
  strategy: { kind: "random" },
  budget: { evaluations: 20 },
  seed: 3,
};

describe("search spaces in the API", () => {
  let api: TestApi;
  let tableSize: number;

  before(async () => {
    // A budget limit above the table's size, so that the domain check is the one that refuses.
    api = await startTestApi("api_spaces", { API_KEYS: API_KEY, MAX_BUDGET: 100_000 });
    tableSize = (await evaluatorDomain({ kind: "enas-6-table", dataset: "cifar10" }))?.length ?? 0;
  });
  after(async () => {
    await api.close();
  });
  beforeEach(async () => {
    await api.database.db.campaign.deleteMany();
    await api.redis.queues.byName.campaigns.obliterate({ force: true });
  });

  async function nothingKept() {
    assert.equal(await api.database.db.campaign.count(), 0, "no campaign row");
    const counts = await api.redis.queues.byName.campaigns.getJobCounts();
    assert.equal(
      Object.values(counts).reduce((a, b) => a + b, 0),
      0,
      "no job",
    );
  }

  const post = (payload: object) =>
    api.server.inject({ method: "POST", url: "/campaigns", headers: auth, payload });

  test("GET /search-spaces lists each space with the evaluator kinds that fit it", async () => {
    const response = await api.server.inject({ method: "GET", url: "/search-spaces" });
    assert.equal(response.statusCode, 200, response.body);
    const { items } = response.json();
    assert.deepEqual(
      items.map((item: { id: string }) => item.id),
      ["nas-bench-201", "enas-macro-6"],
    );
    const [nb201, enas] = items;
    assert.equal(nb201.size, 15_625);
    assert.equal(nb201.isomorphismClasses, 6_466);
    assert.equal(nb201.enumerable, true);
    assert.deepEqual(nb201.evaluators, [
      { kind: "nas-bench-201", domainSize: null },
      { kind: "train", domainSize: null },
    ]);
    assert.equal(enas.name, getSearchSpace("enas-macro-6").name);
    assert.equal(enas.size, getSearchSpace("enas-macro-6").size);
    assert.equal(enas.enumerable, false);
    assert.equal(enas.isomorphismClasses, null);
    assert.deepEqual(enas.evaluators, [
      { kind: "enas-6-table", domainSize: tableSize },
      { kind: "train", domainSize: null },
    ]);
    assert.equal(tableSize, 20_015);
    // The examples are strings of their spaces.
    for (const item of items) getSearchSpace(item.id).parse(item.example);
    assert.match(enas.example, /^\[\[\d\],\[\d,[01]\],/);
  });

  test("an enas-6-table campaign on enas-macro-6 is created with dataset cifar10 filled in", async () => {
    const response = await post(enasBody);
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json();
    assert.equal(body.searchSpace, "enas-macro-6");
    assert.deepEqual(body.evaluator, { kind: "enas-6-table", dataset: "cifar10" });
    const job = await api.redis.queues.byName.campaigns.getJob(`campaign-${body.id}`);
    assert.deepEqual(job?.data, { campaignId: body.id });
  });

  test("a budget of the whole domain is accepted (one more: below)", async () => {
    const full = await post({ ...enasBody, budget: { evaluations: tableSize } });
    assert.equal(full.statusCode, 201, full.body);
    const nb201 = await post({
      ...enasBody,
      searchSpace: "nas-bench-201",
      evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
      budget: { evaluations: 6_466 },
    });
    assert.equal(nb201.statusCode, 201, nb201.body);
  });

  const refusals: [string, object, RegExp][] = [
    [
      "enas-6-table on nas-bench-201",
      { ...enasBody, searchSpace: "nas-bench-201" },
      /^evaluator "enas-6-table" cannot score search space "nas-bench-201" \(it scores: enas-macro-6\)$/,
    ],
    [
      "nas-bench-201 on enas-macro-6",
      { ...enasBody, evaluator: { kind: "nas-bench-201", dataset: "cifar10" } },
      /^evaluator "nas-bench-201" cannot score search space "enas-macro-6" \(it scores: nas-bench-201\)$/,
    ],
    [
      "a budget larger than the table",
      { ...enasBody, budget: { evaluations: 30_000 } },
      /budget\.evaluations 30000 exceeds the 20015 architectures the enas-6-table evaluator can score in enas-macro-6: at most 20015 evaluations/,
    ],
    [
      "a budget one over the table",
      { ...enasBody, budget: { evaluations: 20_016 } },
      /at most 20015 evaluations/,
    ],
    [
      "a budget larger than NAS-Bench-201's isomorphism classes",
      {
        ...enasBody,
        searchSpace: "nas-bench-201",
        evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
        budget: { evaluations: 6_467 },
      },
      /^budget\.evaluations 6467 exceeds the 6466 distinct architectures \(isomorphism classes\) of nas-bench-201: at most 6466 evaluations$/,
    ],
    [
      "an unknown search space",
      { ...enasBody, searchSpace: "enas-macro-12" },
      /body\.searchSpace: must be one of "nas-bench-201", "enas-macro-6"/,
    ],
    [
      "enas-6-table on another dataset",
      { ...enasBody, evaluator: { kind: "enas-6-table", dataset: "cifar100" } },
      /body\.evaluator\.dataset/,
    ],
  ];
  for (const [label, payload, message] of refusals) {
    test(`400 naming the problem, nothing written or enqueued: ${label}`, async () => {
      const response = await post(payload);
      assert.equal(response.statusCode, 400, response.body);
      assert.match(response.json().message, message);
      await nothingKept();
    });
  }
});
