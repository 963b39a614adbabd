// The CLI as a subprocess against an in-process API on real Postgres and Redis.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import { createRound, finishCampaign, markCampaignRunning, recordEvaluation } from "@nasvae/db";
import { createTestDatabase, type TestDatabase } from "@nasvae/db/testing";
import { createTestQueues, type TestQueues } from "@nasvae/jobs/testing";
// The API is a test dependency only: the CLI talks to it over HTTP.
import { buildServer } from "../../api/src/build.ts";
import { ApiClient } from "../src/api-client.ts";
import { type CliRun, nasvae } from "./support.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Splits CSV text as RFC 4180 reads it (quoted fields may hold commas, quotes, line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += char;
  }
  assert.equal(field, "", "the last record ends with CRLF");
  return records;
}

describe("nasvae CLI", () => {
  let database: TestDatabase;
  let redis: TestQueues;
  let server: Awaited<ReturnType<typeof buildServer>>;
  let env: Record<string, string>;
  let dir: string;
  const apiKey = `nasvae_test_${randomBytes(16).toString("hex")}`;

  before(async () => {
    database = await createTestDatabase("cli");
    redis = await createTestQueues("cli");
    server = await buildServer({
      DATABASE_URL: database.url,
      REDIS_URL: redis.redisUrl,
      QUEUE_PREFIX: redis.prefix,
      MAX_BUDGET: 500,
      API_KEYS: apiKey,
      LOG_LEVEL: "silent",
    });
    await server.listen({ port: 0, host: "127.0.0.1" });
    const { port } = server.server.address() as AddressInfo;
    env = {
      NASVAE_URL: `http://127.0.0.1:${port}`,
      NASVAE_API_KEY: apiKey,
      DATABASE_URL: database.url,
    };
    dir = mkdtempSync(join(tmpdir(), "nasvae-cli-"));
  });
  after(async () => {
    await server.close();
    await redis.cleanup();
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.campaign.deleteMany();
    await redis.queues.byName.campaigns.obliterate({ force: true });
  });

  /** A campaign with five evaluated architectures (one name needs CSV quoting). */
  async function campaignWithResults(): Promise<string> {
    // Straight to the API: `create` is tested on its own, and a subprocess costs a second.
    const response = await fetch(`${env.NASVAE_URL}/campaigns`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        name: "results",
        searchSpace: "nas-bench-201",
        evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
        strategy: { kind: "random" },
        budget: { evaluations: 20 },
      }),
    });
    assert.equal(response.status, 201);
    const { id } = (await response.json()) as { id: string };
    const row = await database.db.campaign.findUniqueOrThrow({ where: { id } });
    const points: [string, number, number][] = [
      ["arch-a", 80, 10e6],
      ["arch-b", 85, 30e6],
      ['weird,"arch"', 83, 20e6],
      ["arch-d", 90, 60e6],
      ["arch-e", 70, 50e6],
    ];
    const round = await createRound(database.db, {
      campaignId: id,
      index: 0,
      strategy: "random",
      searchSpace: "nas-bench-201",
      evaluatorFingerprint: row.evaluatorFingerprint,
      candidates: points.map(([archString], i) => ({ archString, canonicalHash: `${id}-${i}` })),
    });
    for (const [archString, accuracy, flops] of points) {
      const trial = round.trials.find((t) => t.archString === archString);
      assert.ok(trial);
      await recordEvaluation(database.db, {
        trialId: trial.id,
        architectureId: trial.architectureId,
        evaluatorFingerprint: row.evaluatorFingerprint,
        evaluator: { kind: "nas-bench-201", dataset: "cifar10" },
        result: { validationAccuracy: accuracy, testAccuracy: accuracy + 3, flops, params: 1e6 },
        worker: "worker-1",
        durationMs: 1,
      });
    }
    return id;
  }

  test("create --file: the YAML file with flags over it; prints the id", async () => {
    const result = await nasvae(
      [
        "create",
        "--file",
        "examples/campaign.yaml",
        "--budget",
        "20",
        "--seed",
        "5",
        "--lambda",
        "0.5",
      ],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    const id = result.stdout.trim();
    assert.match(id, UUID);
    assert.match(result.stderr, /created campaign "graph-vae cifar10": 20 evaluations/);
    const row = await database.db.campaign.findUniqueOrThrow({ where: { id } });
    assert.equal(row.name, "graph-vae cifar10");
    assert.equal(row.budgetEvaluations, 20);
    assert.equal(row.roundSize, 10);
    assert.equal(row.seed, 5);
    assert.deepEqual(row.strategy, { kind: "graph-vae", lambda: 0.5 });
    assert.deepEqual(row.evaluator, { kind: "nas-bench-201", dataset: "cifar10" });
    const job = await redis.queues.byName.campaigns.getJob(`campaign-${id}`);
    assert.deepEqual(job?.data, { campaignId: id });
  });

  test("create from flags alone, and a JSON file on standard input", async () => {
    const result = await nasvae(
      [
        "create",
        "--name",
        "from flags",
        "--space",
        "nas-bench-201",
        "--dataset",
        "cifar100",
        "--strategy",
        "evolution",
        "--budget",
        "30",
        "--per-round",
        "5",
        "--seed",
        "2",
        "--set",
        "strategy.populationSize=12",
      ],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    const row = await database.db.campaign.findUniqueOrThrow({
      where: { id: result.stdout.trim() },
    });
    assert.equal(row.name, "from flags");
    assert.deepEqual(row.evaluator, { kind: "nas-bench-201", dataset: "cifar100" });
    assert.deepEqual(row.strategy, { kind: "evolution", populationSize: 12 });
    assert.equal(row.budgetEvaluations, 30);
    assert.equal(row.roundSize, 5);
    assert.equal(row.seed, 2);

    const json = join(dir, "campaign.json");
    writeFileSync(json, JSON.stringify({ name: "from json", budget: { evaluations: 7 } }));
    const fromJson = await nasvae(["create", "-f", json], env);
    assert.equal(fromJson.code, 0, fromJson.stderr);
    const jsonRow = await database.db.campaign.findUniqueOrThrow({
      where: { id: fromJson.stdout.trim() },
    });
    assert.equal(jsonRow.name, "from json");
    assert.equal(jsonRow.budgetEvaluations, 7);
    assert.deepEqual(jsonRow.strategy, { kind: "graph-vae" });

    const stdin = await nasvae(
      ["create", "--file", "-"],
      env,
      "name: piped\nbudget:\n  evaluations: 4\n",
    );
    assert.equal(stdin.code, 0, stdin.stderr);
    assert.equal(await database.db.campaign.count(), 3);
  });

  test("the API's validation errors are printed one per line, exit 1, nothing created", async () => {
    const result = await nasvae(["create", "--budget", "0", "--dataset", "mnist"], env);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    const lines = result.stderr.trimEnd().split("\n");
    assert.equal(lines[0], "error: the API refused the request (400 Bad Request):");
    assert.ok(
      lines.some((line) => /^ {2}body\.evaluator\.dataset: must be one of "cifar10"/.test(line)),
    );
    assert.ok(lines.includes("  body.budget.evaluations: must be >= 1"), result.stderr);
    assert.equal(await database.db.campaign.count(), 0);
  });

  test("a write without a key is refused with a hint, exit 1", async () => {
    const result = await nasvae(["create", "--budget", "5"], { ...env, NASVAE_API_KEY: "" });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: the API answered 401/);
    assert.match(result.stderr, /set NASVAE_API_KEY or pass --api-key/);
    assert.equal(await database.db.campaign.count(), 0);
    const withFlag = await nasvae(["create", "--budget", "5", "--api-key", apiKey], {
      ...env,
      NASVAE_API_KEY: "",
    });
    assert.equal(withFlag.code, 0, withFlag.stderr);
  });

  test("an unreachable API is named, with how to start it, exit 1", async () => {
    const closed = await buildServer({
      DATABASE_URL: database.url,
      REDIS_URL: redis.redisUrl,
      QUEUE_PREFIX: redis.prefix,
      MAX_BUDGET: 1,
      LOG_LEVEL: "silent",
    });
    await closed.listen({ port: 0, host: "127.0.0.1" });
    const { port } = closed.server.address() as AddressInfo;
    await closed.close();
    const result = await nasvae(["list", "--url", `http://127.0.0.1:${port}`], env);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      new RegExp(
        `could not reach the nasvae API at http://127\\.0\\.0\\.1:${port} \\(connection refused\\)`,
      ),
    );
    assert.match(result.stderr, /npm start/);
  });

  test("usage errors exit 2 and point at the help", async () => {
    const cases: [string[], RegExp][] = [
      [["create", "--budjet", "5"], /unknown option --budjet[\s\S]*nasvae create --help/],
      [["create"], /the budget is missing/],
      [["create", "--budget", "many"], /--budget must be a number, got "many"/],
      [["results"], /missing ID/],
      [["results", "a", "b"], /unexpected argument "b"/],
      [["results", "x", "--sort", "name"], /--sort must be one of recorded, accuracy, flops/],
      [["lst"], /unknown command "lst" \(did you mean "list"\?\)/],
      [["list", "--limit", "0"], /--limit must be a whole number >= 1/],
      [["keys"], /"nasvae keys" needs a subcommand/],
      [["keys", "create"], /--name is required/],
      [["watch", "--url"], /--url needs a value/],
      [["list", "--url", "localhost:3000"], /--url must be an http:\/\/ or https:\/\/ address/],
      [[], /Usage: nasvae <command>/],
    ];
    const results = await Promise.all(cases.map(([args]) => nasvae(args, env)));
    for (const [i, [args, message]] of cases.entries()) {
      const result = results[i] as CliRun;
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(" "));
    }
  });

  test("--help for the whole CLI and each command, exit 0", async () => {
    const [main, create, keys, version] = await Promise.all([
      nasvae(["--help"]),
      nasvae(["create", "--help"]),
      nasvae(["help", "keys", "revoke"]),
      nasvae(["--version"]),
    ]);
    assert.equal(main.code, 0);
    for (const name of ["create", "watch", "list", "results", "export", "pareto", "keys create"]) {
      assert.match(main.stdout, new RegExp(`^ {2}${name} +\\S`, "m"));
    }
    assert.equal(create.code, 0);
    assert.match(create.stdout, /^Usage: nasvae create/);
    assert.match(create.stdout, /--per-round N/);
    assert.match(create.stdout, /Global options:/);
    assert.match(keys.stdout, /^Usage: nasvae keys revoke ID/);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  test("list: an aligned table, filtered by status", async () => {
    for (const name of ["first", "second"]) {
      assert.equal((await nasvae(["create", "--name", name, "--budget", "10"], env)).code, 0);
    }
    const first = await database.db.campaign.findFirstOrThrow({ where: { name: "first" } });
    await markCampaignRunning(database.db, first.id);
    const result = await nasvae(["list"], env);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 3);
    const header = lines[0] as string;
    assert.match(
      header,
      /^ID +NAME +STATUS +STRATEGY +SPACE +DATASET +EVALUATIONS +BEST VALID % +CREATED$/,
    );
    assert.match(
      lines[1] as string,
      /^[0-9a-f-]{36} +second +queued +graph-vae +nas-bench-201 +cifar10 +0\/10 +- +\d{4}-/,
    );
    assert.match(lines[2] as string, new RegExp(`^${first.id} +first +running `));
    for (const column of ["NAME", "STATUS", "CREATED"]) {
      const at = header.indexOf(column);
      for (const line of lines.slice(1)) assert.notEqual(line[at - 1], undefined);
      for (const line of lines.slice(1))
        assert.equal(line[at - 2], " ", `${column} column aligned`);
    }
    const running = await nasvae(["list", "--status", "running", "--format", "json"], env);
    assert.deepEqual(
      JSON.parse(running.stdout).map((c: { name: string }) => c.name),
      ["first"],
    );
    const limited = await nasvae(["list", "--limit", "1"], env);
    assert.equal(limited.stdout.trimEnd().split("\n").length, 2);
    assert.match(limited.stderr, /1 of 2/);
  });

  test("an enas-macro-6 campaign: created from flags, listed with its space, no test figure shown as n/a", async () => {
    const created = await nasvae(
      [
        "create",
        "--name",
        "enas",
        "--search-space",
        "enas-macro-6",
        "--evaluator",
        "enas-6-table",
        "--strategy",
        "random",
        "--budget",
        "20",
      ],
      env,
    );
    assert.equal(created.code, 0, created.stderr);
    const id = created.stdout.trim();
    assert.match(id, UUID);
    assert.match(created.stderr, /20 evaluations of enas-macro-6 on cifar10, random search/);
    const row = await database.db.campaign.findUniqueOrThrow({ where: { id } });
    assert.equal(row.searchSpace, "enas-macro-6");
    assert.deepEqual(row.evaluator, { kind: "enas-6-table", dataset: "cifar10" });
    // The space alone picks its table as the evaluator.
    const defaulted = await nasvae(
      ["create", "--space", "enas-macro-6", "--strategy", "random", "--budget", "5"],
      env,
    );
    assert.equal(defaulted.code, 0, defaulted.stderr);
    const other = await database.db.campaign.findUniqueOrThrow({
      where: { id: defaulted.stdout.trim() },
    });
    assert.equal((other.evaluator as { kind: string }).kind, "enas-6-table");
    // A mismatch is the API's 400, printed.
    const refused = await nasvae(
      ["create", "--search-space", "nas-bench-201", "--evaluator", "enas-6-table", "--budget", "5"],
      env,
    );
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stderr,
      /evaluator "enas-6-table" cannot score search space "nas-bench-201" \(it scores: enas-macro-6\)/,
    );

    const arch = "[[1],[4,0],[5,0,0],[0,1,1,1],[2,1,1,1,1],[3,0,0,0,0,1]]";
    const round = await createRound(database.db, {
      campaignId: id,
      index: 0,
      strategy: "random",
      searchSpace: "enas-macro-6",
      evaluatorFingerprint: row.evaluatorFingerprint,
      candidates: [{ archString: arch, canonicalHash: `${id}-enas` }],
    });
    const [trial] = round.trials;
    assert.ok(trial);
    await recordEvaluation(database.db, {
      trialId: trial.id,
      architectureId: trial.architectureId,
      evaluatorFingerprint: row.evaluatorFingerprint,
      evaluator: { kind: "enas-6-table", dataset: "cifar10" },
      result: { validationAccuracy: 73.02, testAccuracy: null, flops: 15e6, params: 1.7e5 },
      worker: "worker-1",
      durationMs: 1,
    });
    const table = await nasvae(["results", id], env);
    assert.equal(table.code, 0, table.stderr);
    const [header, line] = table.stdout.trimEnd().split("\n");
    assert.match(header as string, /VALID % +TEST %/);
    assert.match(line as string, / 73\.02 +n\/a +15\.00 /);
    const csv = parseCsv((await nasvae(["results", id, "--format", "csv"], env)).stdout);
    assert.equal(csv[1]?.[3], "", "CSV: an empty test_accuracy");
    const json = JSON.parse((await nasvae(["results", id, "--format", "json"], env)).stdout);
    assert.equal(json[0].testAccuracy, null);

    const list = await nasvae(["list"], env);
    assert.match(
      list.stdout,
      new RegExp(`${id} +enas +queued +random +enas-macro-6 +cifar10 +1/20 +73\\.02 `),
    );
  });

  test("results: table, CSV and JSON with the right rows; export writes every row", async () => {
    const id = await campaignWithResults();
    const api = await fetch(`${env.NASVAE_URL}/campaigns/${id}/evaluations?sort=accuracy`);
    const expected = ((await api.json()) as { items: unknown[] }).items;

    const json = await nasvae(["results", id, "--sort", "accuracy", "--format", "json"], env);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), expected);

    const csv = await nasvae(["results", id, "--sort", "accuracy", "--format", "csv"], env);
    const records = parseCsv(csv.stdout);
    assert.deepEqual(records[0], [
      "round",
      "arch_string",
      "validation_accuracy",
      "test_accuracy",
      "flops",
      "params",
      "cached",
      "worker",
      "proposed_at",
      "evaluated_at",
      "recorded_at",
      "stopped_early",
      "epochs",
    ]);
    assert.deepEqual(
      records.slice(1).map((r) => [r[1], r[2], r[3], r[4], r[6], r[7]]),
      [
        ["arch-d", "90", "93", "60000000", "false", "worker-1"],
        ["arch-b", "85", "88", "30000000", "false", "worker-1"],
        ['weird,"arch"', "83", "86", "20000000", "false", "worker-1"],
        ["arch-a", "80", "83", "10000000", "false", "worker-1"],
        ["arch-e", "70", "73", "50000000", "false", "worker-1"],
      ],
    );
    assert.match(csv.stdout, /,"weird,""arch""",/);

    const table = await nasvae(["results", id, "--sort", "flops", "--limit", "2"], env);
    assert.equal(
      table.stdout,
      [
        "#  ROUND  VALID %  TEST %  MFLOPS  PARAMS (M)  CACHED  ARCHITECTURE",
        "1      0    80.00   83.00   10.00       1.000  no      arch-a",
        '2      0    83.00   86.00   20.00       1.000  no      weird,"arch"',
        "",
      ].join("\n"),
    );

    const file = join(dir, "results.csv");
    const exported = await nasvae(["export", id, "--output", file], env);
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stderr, /wrote 5 evaluations \(csv\) to .*results\.csv/);
    const exportedRecords = parseCsv(readFileSync(file, "utf8"));
    assert.equal(exportedRecords.length, 6);
    assert.deepEqual(
      exportedRecords.slice(1).map((r) => r[1]),
      ["arch-a", "arch-b", 'weird,"arch"', "arch-d", "arch-e"],
      "recorded order",
    );
    const jsonFile = join(dir, "results.json");
    await nasvae(["export", id, "-o", jsonFile], env);
    assert.equal(JSON.parse(readFileSync(jsonFile, "utf8")).length, 5);

    const missing = await nasvae(["results", "6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab"], env);
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      /^error: the API answered 404 Not Found: campaign 6f1c2d3e-.* not found$/m,
    );
  });

  test("every evaluation is fetched page by page", async () => {
    const id = await campaignWithResults();
    const client = new ApiClient(env.NASVAE_URL as string, apiKey, 2);
    const all = await client.allEvaluations(id, "accuracy");
    assert.deepEqual(
      all.map((item) => item.validationAccuracy),
      [90, 85, 83, 80, 70],
    );
    assert.equal((await client.allEvaluations(id, "accuracy", 3)).length, 3);
  });

  test("pareto: the front, cheapest first", async () => {
    const id = await campaignWithResults();
    const result = await nasvae(["pareto", id], env);
    assert.equal(result.code, 0, result.stderr);
    const archs = result.stdout
      .trimEnd()
      .split("\n")
      .slice(1)
      .map((line) => line.split(/ {2,}/).at(-1));
    assert.deepEqual(archs, ["arch-a", 'weird,"arch"', "arch-b", "arch-d"]);
    const csv = parseCsv((await nasvae(["pareto", id, "--format", "csv"], env)).stdout);
    assert.deepEqual(csv[0], [
      "round",
      "arch_string",
      "validation_accuracy",
      "test_accuracy",
      "flops",
      "params",
    ]);
    assert.equal(csv.length, 5);
  });

  test("watch: a completed campaign prints its progress and best, exit 0; a failed one exit 1", async () => {
    const id = await campaignWithResults();
    await markCampaignRunning(database.db, id);
    await finishCampaign(database.db, id, "completed");
    const result = await nasvae(["watch", id], env);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split("\n");
    assert.match(lines[0] as string, new RegExp(`^campaign "results" \\(${id}\\): random search`));
    assert.equal(lines[1], " 5/20  completed  round 1  best: valid 90.00%  test 93.00%");
    assert.match(lines[2] as string, /^campaign completed in \d+\.\d s: 5 evaluations in 1 rounds/);
    assert.equal(lines[4], "  arch-d");
    assert.ok(
      !result.stdout.includes("\r") && !result.stdout.includes("\u001b"),
      "no terminal control codes in a pipe",
    );

    const failed = (await nasvae(["create", "--budget", "5"], env)).stdout.trim();
    await markCampaignRunning(database.db, failed);
    await finishCampaign(database.db, failed, "failed", "every evaluation of round 0 failed");
    const failedRun = await nasvae(["watch", failed], env);
    assert.equal(failedRun.code, 1);
    assert.match(
      failedRun.stderr,
      new RegExp(
        `^error: campaign ${failed} failed in .*: every evaluation of round 0 failed$`,
        "m",
      ),
    );
  });

  test("keys create, list and revoke, against the database", async () => {
    const created = await nasvae(["keys", "create", "--name", "ci pipeline"], env);
    assert.equal(created.code, 0, created.stderr);
    const key = created.stdout.trim();
    assert.match(key, /^nasvae_\S{20,}$/);
    assert.match(created.stderr, /only time it is shown/);

    const listed = await nasvae(["keys", "list"], env);
    assert.equal(listed.code, 0, listed.stderr);
    const lines = listed.stdout.trimEnd().split("\n");
    assert.match(
      lines[0] as string,
      /^ID +NAME +PREFIX +SOURCE +SCOPE +CREATED +LAST USED +STATUS$/,
    );
    const row = lines.find((line) => line.includes("ci pipeline"));
    assert.ok(row, listed.stdout);
    assert.ok(row.includes(`${key.slice(0, 12)}…`));
    assert.match(row, / cli +campaigns +\d{4}-\d\d-\d\d \d\d:\d\d +never +active$/);
    assert.ok(
      lines.some((line) => /API_KEYS\[0\] .* env /.test(line)),
      "the configured key",
    );
    assert.ok(!listed.stdout.includes(key), "never the key itself");

    // --admin makes a key that may use the dashboard's actions; the list says which.
    const admin = await nasvae(["keys", "create", "--name", "operator", "--admin"], env);
    assert.equal(admin.code, 0, admin.stderr);
    assert.match(admin.stderr, /created admin key "operator"/);
    const adminRow = (await nasvae(["keys", "list"], env)).stdout
      .split("\n")
      .find((line) => line.includes("operator"));
    assert.match(adminRow ?? "", / cli +admin +/);
    const stored = await database.db.apiKey.findFirstOrThrow({ where: { name: "operator" } });
    assert.equal(stored.admin, true);

    const [info] = JSON.parse(
      (await nasvae(["keys", "list", "--format", "json"], env)).stdout,
    ).filter((k: { name: string }) => k.name === "ci pipeline");
    const revoked = await nasvae(["keys", "revoke", info.id], env);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout, `revoked key ${info.id}\n`);
    const row2 = (await database.db.apiKey.findUniqueOrThrow({ where: { id: info.id } })).revokedAt;
    assert.ok(row2 instanceof Date);
    const refused = await nasvae(["create", "--budget", "5"], { ...env, NASVAE_API_KEY: key });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /401[\s\S]*was not accepted/);
    const again = await nasvae(["keys", "revoke", info.id], env);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /was already revoked/);
    const unknown = await nasvae(["keys", "revoke", "6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab"], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no API key with id 6f1c2d3e/);

    // A fresh key works for writes straight away.
    const fresh = (await nasvae(["keys", "create", "--name", "fresh"], env)).stdout.trim();
    const accepted = await nasvae(["create", "--budget", "5"], { ...env, NASVAE_API_KEY: fresh });
    assert.equal(accepted.code, 0, accepted.stderr);
  });

  test("keys commands name an unreachable database", async () => {
    const result = await nasvae(["keys", "list"], {
      ...env,
      DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nasvae",
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: could not reach PostgreSQL at 127\.0\.0\.1:1\/nasvae/);
  });
});
