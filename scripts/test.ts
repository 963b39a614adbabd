// `npm test`: runs every test file of the repository with Node's test runner.
// Node 20's runner does not find .ts files by itself, so this lists them and passes them on.
// `--lane unit|integration|system` (repeatable) keeps the files of those lanes only
// (scripts/lib/test-lanes.ts; `npm run test:unit` and the others). Other arguments filter by
// path: `npm test -- api` runs the files whose path contains "api".
import { spawnSync } from "node:child_process";
import { findTestFiles, LANES, type Lane, laneOf, UNREACHABLE_SERVICES } from "./lib/test-lanes.ts";

const root = new URL("..", import.meta.url).pathname;

const lanes: Lane[] = [];
const filters: string[] = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--lane") {
    const lane = args[++i] as Lane;
    if (!LANES.includes(lane)) {
      console.error(`--lane takes one of ${LANES.join(", ")}, not ${JSON.stringify(args[i])}`);
      process.exit(2);
    }
    lanes.push(lane);
  } else filters.push(args[i] as string);
}

const files = findTestFiles(root)
  .filter((file) => lanes.length === 0 || lanes.includes(laneOf(file)))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)));
if (files.length === 0) {
  console.error(
    `no test files match ${[...lanes.map((l) => `--lane ${l}`), ...filters].join(" ")}`,
  );
  process.exit(1);
}
const unitOnly = lanes.length > 0 && lanes.every((lane) => lane === "unit");
// A unit file that reaches for Redis anyway would wait for it forever: a test gets 5 minutes.
const timeout = unitOnly ? ["--test-timeout=300000"] : [];
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", ...timeout, ...files],
  {
    cwd: root,
    stdio: "inherit",
    // The unit lane needs no service: a file that tries one fails rather than finds it.
    env: unitOnly ? { ...process.env, ...UNREACHABLE_SERVICES } : process.env,
  },
);
process.exit(result.status ?? 1);
