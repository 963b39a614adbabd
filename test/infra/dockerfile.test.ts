// No Docker engine runs here, so the image recipe is linted (dockerfile-utils) and checked for
// what breaks it most often or matters most: stages, users, dev dependencies, the GPU base.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { validate } from "dockerfile-utils";
import { parseDockerfile } from "./support.ts";

const root = new URL("../../", import.meta.url);
const dockerfile = readFileSync(new URL("infra/Dockerfile", root), "utf8");

test("the build stage copies every workspace's package.json before npm ci", () => {
  // npm ci checks the lockfile against every workspace: one missing manifest fails the build.
  const beforeInstall = dockerfile.slice(0, dockerfile.indexOf("npm ci --ignore-scripts"));
  for (const group of ["apps", "packages"]) {
    for (const name of readdirSync(new URL(`${group}/`, root))) {
      const manifest = `${group}/${name}/package.json`;
      assert.ok(
        beforeInstall.includes(`COPY ${manifest} ${group}/${name}/`),
        `infra/Dockerfile does not copy ${manifest} before npm ci`,
      );
    }
  }
});

test("every app target runs its entry point with node directly (signals reach it)", () => {
  for (const entry of [
    "apps/api/src/server.ts",
    "apps/coordinator/src/main.ts",
    "apps/worker/src/main.ts",
    "packages/db/src/cli/migrate.ts",
  ]) {
    assert.ok(
      dockerfile.includes(`CMD ["node", "--import", "tsx", "${entry}"]`),
      `no exec-form CMD for ${entry}`,
    );
  }
});

const { globalArgs, stages } = parseDockerfile(dockerfile);
const stage = (name: string) => {
  const found = stages.find((s) => s.name === name);
  assert.ok(found, `no stage ${name} in infra/Dockerfile`);
  return found;
};
const instructions = (name: string, keyword: string) =>
  stage(name)
    .instructions.filter((i) => i.keyword === keyword)
    .map((i) => i.args);
const globalArg = (name: string) =>
  globalArgs.map((i) => /^(\w+)=(.*)$/.exec(i.args)).find((match) => match?.[1] === name)?.[2];

/** How a Dockerfile refers to a build argument: ${NAME}. */
const argRef = (name: string) => `$\{${name}}`;

/** The stages a target is built from, itself first (FROM another stage, or an image). */
function chain(name: string): string[] {
  const names = [name];
  let from = stage(name).from;
  while (stages.some((s) => s.name === from)) {
    names.push(from);
    from = stage(from).from;
  }
  return names;
}

/** The USER a target runs as: its stage's last USER, or the nearest one up its FROM chain. */
function effectiveUser(name: string): string | undefined {
  for (const link of chain(name)) {
    const users = instructions(link, "USER");
    if (users.length > 0) return users.at(-1);
  }
  return undefined;
}

const targets = ["api", "coordinator", "worker", "worker-cpu", "worker-gpu", "migrate"];

test("dockerfile-utils (the linter of VS Code's Docker support) finds nothing", () => {
  // Every check at its default severity, warnings included: deprecated MAINTAINER, casing, empty
  // continuation lines, unknown flags, bad ports, durations and signals...
  const problems = validate(dockerfile).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
  assert.deepEqual(problems, []);
});

test("the linter flags what it should (its checks are live)", () => {
  const broken = `${dockerfile}\nEXPOSE port\nHEALTHCHECK --intervall=5s CMD true\nSTOPSIGNAL SIGFOO\n`;
  assert.ok(validate(broken).length >= 3);
});

test("the stages: base, build, runtime, build-cpu, build-gpu and one per target", () => {
  assert.deepEqual(
    stages.map((s) => s.name),
    [
      "base",
      "build",
      "runtime",
      "migrate",
      "api",
      "coordinator",
      "worker",
      "build-cpu",
      "worker-cpu",
      "build-gpu",
      "worker-gpu",
    ],
  );
  assert.equal(stage("base").from, argRef("NODE_IMAGE"));
  assert.match(globalArg("NODE_IMAGE") ?? "", /^node:20(\.\d+)*-bookworm-slim$/);
  for (const target of ["api", "coordinator", "worker", "migrate"]) {
    assert.deepEqual(chain(target), [target, "runtime", "base"]);
  }
  assert.deepEqual(chain("build-cpu"), ["build-cpu", "build", "base"]);
  assert.deepEqual(chain("worker-cpu"), ["worker-cpu", "base"]);
  assert.deepEqual(chain("build-gpu"), ["build-gpu", "build", "base"]);
  assert.deepEqual(chain("worker-gpu"), ["worker-gpu"]);
});

test("every target runs as the unprivileged node user (uid 1000), never root", () => {
  for (const target of targets) {
    assert.equal(effectiveUser(target), "node", `${target} runs as ${effectiveUser(target)}`);
  }
  assert.ok(
    instructions("worker-gpu", "RUN").some((run) => run.includes("useradd --uid 1000 --gid node")),
    "worker-gpu makes no uid-1000 node user (the CUDA image has none)",
  );
});

test("no dev dependency in a final image: pruned, and only the pruned tree is copied", () => {
  const buildRuns = instructions("build", "RUN").join("\n");
  assert.match(buildRuns, /npm prune --omit=dev/);
  // The runtime takes /app from build (after its prune, the stage's last step); worker-gpu from
  // build-gpu, which adds tfjs-node-gpu with --omit=dev and checks no dev package came back.
  assert.deepEqual(instructions("runtime", "COPY"), ["--from=build /app /app"]);
  const gpuCopies = instructions("worker-gpu", "COPY");
  assert.deepEqual(gpuCopies, [
    "--from=base /usr/local/bin/node /usr/local/bin/node",
    "--from=build-gpu /app /app",
  ]);
  const gpuRuns = instructions("build-gpu", "RUN").join("\n");
  assert.match(gpuRuns, /npm install --no-save --omit=dev --ignore-scripts/);
  assert.match(gpuRuns, /test ! -d node_modules\/@biomejs\/biome/);
  // worker-cpu likewise from build-cpu (and nothing else: the node binary is the base's own).
  assert.deepEqual(instructions("worker-cpu", "COPY"), ["--from=build-cpu /app /app"]);
  const cpuRuns = instructions("build-cpu", "RUN").join("\n");
  assert.match(cpuRuns, /npm install --no-save --omit=dev --ignore-scripts/);
  assert.match(cpuRuns, /test ! -d node_modules\/@biomejs\/biome/);
  const rootManifest = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
  assert.ok("@biomejs/biome" in rootManifest.devDependencies, "pick another dev-only marker");
  // The build stage's last step is the prune (nothing installs after it).
  const lastBuildRun = instructions("build", "RUN").at(-1) ?? "";
  assert.match(lastBuildRun, /^npm prune --omit=dev/);
});

test("the GPU base is CUDA 11.8 with cuDNN 8 (runtime), as tfjs-node-gpu 4.22 needs", () => {
  assert.equal(stage("worker-gpu").from, argRef("CUDA_IMAGE"));
  assert.match(
    globalArg("CUDA_IMAGE") ?? "",
    /^nvidia\/cuda:11\.8\.\d+-cudnn8-runtime-ubuntu22\.04$/,
  );
});

test("tfjs-node-gpu is pinned to tf-backend's @tensorflow/tfjs version and installed with its script", () => {
  // tf-backend loads the backends and is where @tensorflow/tfjs is declared for the ML packages.
  const tfBackend = JSON.parse(
    readFileSync(new URL("packages/tf-backend/package.json", root), "utf8"),
  );
  const tfjs = tfBackend.dependencies["@tensorflow/tfjs"];
  assert.equal(globalArg("TFJS_NODE_GPU_VERSION"), tfjs);
  assert.equal(tfjs, "4.22.0");
  const gpuRuns = instructions("build-gpu", "RUN").join("\n");
  assert.match(gpuRuns, /"@tensorflow\/tfjs-node-gpu@\$\{TFJS_NODE_GPU_VERSION\}"/);
  // --ignore-scripts skips the download of libtensorflow; the rebuild runs that one script.
  assert.match(gpuRuns, /npm rebuild @tensorflow\/tfjs-node-gpu/);
  assert.match(gpuRuns, /deps\/lib\/libtensorflow\.so/);
  // It must be resolvable from packages/graph-vae (the root node_modules), where the backend
  // loader imports it first of all.
  const backend = readFileSync(new URL("packages/tf-backend/src/backend.ts", root), "utf8");
  const firstImport = /import\("(@tensorflow\/[^"]+)"/.exec(backend)?.[1];
  assert.equal(firstImport, "@tensorflow/tfjs-node-gpu");
});

test("tfjs-node is pinned to the same version, installed with its script, checked twice", () => {
  assert.equal(globalArg("TFJS_NODE_VERSION"), globalArg("TFJS_NODE_GPU_VERSION"));
  const tfBackend = JSON.parse(
    readFileSync(new URL("packages/tf-backend/package.json", root), "utf8"),
  );
  assert.equal(globalArg("TFJS_NODE_VERSION"), tfBackend.dependencies["@tensorflow/tfjs"]);
  assert.deepEqual(instructions("build-cpu", "ARG"), ["TFJS_NODE_VERSION"]);
  const cpuRuns = instructions("build-cpu", "RUN").join("\n");
  assert.match(cpuRuns, /"@tensorflow\/tfjs-node@\$\{TFJS_NODE_VERSION\}"/);
  assert.match(cpuRuns, /npm rebuild @tensorflow\/tfjs-node(?!-gpu)/);
  assert.match(cpuRuns, /tfjs-node\/lib\/napi-v\*\/tfjs_binding\.node/);
  assert.match(cpuRuns, /tfjs-node\/deps\/lib\/libtensorflow\.so/);
  // The GPU package must not end up in the CPU image (the loader would try it first).
  assert.doesNotMatch(cpuRuns, /tfjs-node-gpu/);
  // The final image loads the binding, and the backend loader picks it over WebAssembly.
  const smoke = instructions("worker-cpu", "RUN").join("\n");
  assert.match(smoke, /require\('@tensorflow\/tfjs-node'\)/);
  assert.match(smoke, /node --import tsx scripts\/tf-backend\.ts --expect tensorflow/);
  // A host install gets the same package, version and check with one command.
  const rootManifest = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
  assert.equal(
    rootManifest.scripts["tf:native"],
    `npm install --no-save @tensorflow/tfjs-node@${globalArg("TFJS_NODE_VERSION")} && tsx scripts/tf-backend.ts --expect tensorflow`,
  );
  // npm >= 11.19 skips the install scripts of dependencies not approved in allowScripts: without
  // this entry the host install would have no libtensorflow.
  assert.equal(
    rootManifest.allowScripts[`@tensorflow/tfjs-node@${globalArg("TFJS_NODE_VERSION")}`],
    true,
  );
  // The loader imports tfjs-node right after tfjs-node-gpu, before WebAssembly.
  const backend = readFileSync(new URL("packages/tf-backend/src/backend.ts", root), "utf8");
  const imports = [...backend.matchAll(/import\("(@tensorflow\/[^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(imports.slice(0, 3), [
    "@tensorflow/tfjs-node-gpu",
    "@tensorflow/tfjs-node",
    "@tensorflow/tfjs-backend-wasm",
  ]);
});

test("the native CPU worker runs what the WebAssembly worker runs", () => {
  for (const keyword of ["CMD", "HEALTHCHECK", "EXPOSE"]) {
    assert.deepEqual(instructions("worker-cpu", keyword), instructions("worker", keyword), keyword);
  }
  // `worker` inherits its STOPSIGNAL from runtime.
  assert.deepEqual(instructions("worker-cpu", "STOPSIGNAL"), instructions("runtime", "STOPSIGNAL"));
  assert.deepEqual(instructions("worker-cpu", "USER"), ["node"]);
  assert.match(instructions("worker-cpu", "ENV").join(" "), /NODE_ENV=production/);
  assert.match(instructions("worker-cpu", "RUN").join("\n"), /chown node:node \/data\/checkpoints/);
});

test("the GPU worker runs what the CPU worker runs", () => {
  assert.deepEqual(instructions("worker-gpu", "CMD"), instructions("worker", "CMD"));
  assert.deepEqual(
    instructions("worker-gpu", "HEALTHCHECK"),
    instructions("worker", "HEALTHCHECK").map((h) =>
      h.replace("--start-period=30s", "--start-period=60s"),
    ),
  );
  assert.deepEqual(instructions("worker-gpu", "STOPSIGNAL"), ["SIGTERM"]);
  assert.deepEqual(instructions("worker-gpu", "WORKDIR"), ["/app"]);
});

test("api, coordinator and workers expose their port and have a healthcheck on it", () => {
  assert.deepEqual(instructions("api", "EXPOSE"), ["3000"]);
  assert.match(instructions("api", "HEALTHCHECK")[0] ?? "", /\/healthz/);
  for (const target of ["coordinator", "worker", "worker-cpu", "worker-gpu"]) {
    assert.deepEqual(instructions(target, "EXPOSE"), ["9464"], target);
    const env = instructions(target, "ENV").join(" ");
    assert.match(env, /METRICS_PORT=9464/, target);
    assert.match(env, /METRICS_HOST=0\.0\.0\.0/, target);
    const healthchecks = instructions(target, "HEALTHCHECK");
    assert.equal(healthchecks.length, 1, target);
    assert.match(healthchecks[0] ?? "", /process\.env\.METRICS_PORT\|\|9464\)\+'\/livez'/, target);
  }
});
