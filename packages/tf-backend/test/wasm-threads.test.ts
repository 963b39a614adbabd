import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { requestedWasmThreads, setWasmThreads } from "../src/index.ts";

const CHILD = fileURLToPath(new URL("./threaded-conv2d.ts", import.meta.url));

interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs threaded-conv2d.ts with `env`; kills it if it has not exited after `timeoutMs`. */
function runChild(env: Record<string, string>, timeoutMs = 60_000): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`still running after ${timeoutMs / 1000} s (hung?); stdout: ${stdout}`));
    }, timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test("wasm on 2 threads computes conv2d and its gradients as cpu does, and exits by itself", async () => {
  const { code, stdout, stderr } = await runChild({
    NASVAE_TF_BACKEND: "wasm",
    NASVAE_WASM_THREADS: "2",
  });
  assert.equal(code, 0, stderr);
  const { backend, errors } = JSON.parse(stdout.trim().split("\n").at(-1) ?? "");
  assert.deepEqual(backend, { name: "wasm", threads: 2 });
  assert.equal(errors.length, 3);
  for (const error of errors) assert.ok(error <= 1e-5, `relative errors ${errors} > 1e-5`);
});

test("NASVAE_WASM_THREADS=1 is the single-threaded build", async () => {
  const { code, stdout, stderr } = await runChild({
    NASVAE_TF_BACKEND: "wasm",
    NASVAE_WASM_THREADS: "1",
  });
  assert.equal(code, 0, stderr);
  const { backend, errors } = JSON.parse(stdout.trim().split("\n").at(-1) ?? "");
  assert.deepEqual(backend, { name: "wasm", threads: 1 });
  for (const error of errors) assert.ok(error <= 1e-5, `relative errors ${errors} > 1e-5`);
});

test("wasm threads: 1 unless set; a positive integer, else a RangeError", () => {
  assert.equal(requestedWasmThreads(), 1);
  assert.throws(() => setWasmThreads(0), RangeError);
  assert.throws(() => setWasmThreads(1.5), RangeError);
  assert.equal(requestedWasmThreads(), 1);
  setWasmThreads(3);
  assert.equal(requestedWasmThreads(), 3);
  setWasmThreads(1);
});
