/**
 * Multi-threaded TensorFlow.js WASM backend in Node.
 *
 * tfjs turns threads off in Node (flag WASM_HAS_MULTITHREAD_SUPPORT is false when IS_NODE,
 * tfjs#3830), although the package ships the threaded SIMD build and its emscripten glue runs
 * pthreads on worker_threads. What stops it, in @tensorflow/tfjs-backend-wasm 4.22.0:
 * 1. init() hands the glue `blob:` URLs for the pthread worker script and, as a Blob, the main
 *    script; Node's Worker and the worker's importScripts (fs.readFileSync) only load files.
 * 2. The main script is the factory's `toString()`, which uses helpers of the bundle's own
 *    scope (`require$$0`…, `commonjsGlobal`, tslib's `__values`…), undefined in a worker.
 * 3. The C side caps the pool at emscripten_num_logical_cores() / 2, i.e. os.cpus().length / 2:
 *    1 thread on a 2-core machine, whatever setThreadsCount asks.
 * 4. Running pthread workers are ref()'d and never end, so the process would not exit.
 * So, during the backend's initialisation only, Blob and URL.createObjectURL map those two
 * scripts to temporary files (the main script with the missing helpers prepended; the worker
 * script told to load it), and os.cpus reports twice the threads wanted; all three are restored
 * and the files removed once the backend is up. Then the running pthread workers are unref()'d.
 * This relies on that version's internals: any other version gets one thread, with the reason.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";

type WasmPackage = typeof import("@tensorflow/tfjs-backend-wasm");

/** The tfjs-backend-wasm version whose internals the threaded start-up relies on. */
export const THREADED_WASM_VERSION = "4.22.0";
/** tfjs' cap (max_num_threads in backend.cc), also the glue's pre-started worker pool. */
export const MAX_WASM_THREADS = 8;
/** Longest wait for the threaded build to start before falling back to one thread. */
const START_TIMEOUT_MS = 60_000;

export interface WasmThreads {
  /** Threads the backend computes on (1: the single-threaded build). */
  threads: number;
  /** Why there are fewer threads than setWasmThreads asked for, if there are. */
  note?: string;
}

let requestedThreads = 1;

/**
 * Sets the threads the wasm backend will compute on (the worker passes its NASVAE_WASM_THREADS).
 * Default 1, the single-threaded build: the pool's threads spin while they wait, which costs more
 * than it gains on small ops (the graph VAE) and where processes share the cores (several
 * workers, the test runner); a worker that trains one network at a time on cores of its own
 * gains from more (docs/training.md). Takes effect when the backend is first set up.
 */
export function setWasmThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`wasm threads must be a positive integer, not ${threads}`);
  }
  requestedThreads = threads;
}

/** The threads asked for by setWasmThreads (1 unless it was called). */
export function requestedWasmThreads(): number {
  return requestedThreads;
}

/** The main script of the threaded factory needs these names of the bundle's scope. */
const MAIN_SCRIPT_PRELUDE = `var require$$0 = require("fs"), require$$1 = require("path"),
  require$$3 = require("perf_hooks"), require$$4 = require("os");
var commonjsGlobal = globalThis;
function __values(o) { return o[Symbol.iterator](); }
function __read(o, n) { var r = []; for (var x of o) { if (n !== undefined && r.length >= n) break; r.push(x); } return r; }
function __spreadArray(to, from) { return to.concat(Array.prototype.slice.call(from)); }
`;
const MAIN_SCRIPT_START = "var WasmBackendModuleThreadedSimd = function";
const BUNDLE_NAMES = /require\$\$\d+|commonjsGlobal|\b__[a-zA-Z]+\b/g;
const KNOWN_NAMES = new Set([
  ...["require$$0", "require$$1", "require$$3", "require$$4", "commonjsGlobal"],
  ...["__values", "__read", "__spreadArray", "__dirname", "__filename", "__FusedMatMul"],
]);

/**
 * The pthread worker script: tfjs' own, made to load the main script from `mainPath`; if that
 * fails, it writes why to `errorPath`, aborts the start-up (tfjs' onAbort, so setBackend
 * answers false instead of waiting forever) and ends its thread instead of crashing the process.
 */
function workerScript(original: string, mainPath: string, errorPath: string): string {
  return `${original}
;{
  const load = self.onmessage;
  self.onmessage = (e) => {
    if (e.data.cmd !== "load") return load(e);
    e.data.urlOrBlob = ${JSON.stringify(mainPath)};
    try {
      return load(e);
    } catch (error) {
      require("fs").writeFileSync(${JSON.stringify(errorPath)}, String((error && error.stack) || error));
      postMessage({ cmd: "callHandler", handler: "onAbort", args: [] });
      process.exit(1);
    }
  };
}
`;
}

interface Patches {
  restore(): void;
  /** What went wrong in the patched start-up, if it did (read after setBackend answers). */
  failure(): string | undefined;
}

/** Installs the start-up patches (see the top of this file); restore() undoes them. */
function patchStartup(threads: number, dir: string): Patches {
  const OriginalBlob = globalThis.Blob;
  const originalCreateObjectURL = URL.createObjectURL;
  const originalCpus = os.cpus;
  const mainPath = join(dir, "main.cjs");
  const errorPath = join(dir, "error.txt");
  const texts = new WeakMap<Blob, string>();
  let problem: string | undefined;

  globalThis.Blob = class extends OriginalBlob {
    constructor(...args: ConstructorParameters<typeof Blob>) {
      super(...args);
      const [parts] = args;
      if (!parts?.every((part) => typeof part === "string")) return;
      const text = (parts as string[]).join("");
      texts.set(this, text);
      if (!text.startsWith(MAIN_SCRIPT_START)) return;
      const unknown = [...new Set(text.match(BUNDLE_NAMES))].filter((n) => !KNOWN_NAMES.has(n));
      if (unknown.length > 0) problem ??= `the main script uses unknown names: ${unknown}`;
      writeFileSync(mainPath, MAIN_SCRIPT_PRELUDE + text);
    }
  };
  URL.createObjectURL = (blob: Blob) => {
    const text = texts.get(blob);
    if (text === undefined || !text.includes("WasmBackendModuleThreadedSimd(Module)"))
      return originalCreateObjectURL(blob);
    const workerPath = join(dir, "worker.cjs");
    writeFileSync(workerPath, workerScript(text, mainPath, errorPath));
    return workerPath;
  };
  // num_cores = os.cpus().length / 2 caps the thread pool (3. above).
  os.cpus = () => {
    const cpus = originalCpus();
    return Array.from({ length: 2 * threads }, (_, i) => cpus[i % cpus.length] as os.CpuInfo);
  };
  // Started workers are unref()'d; this keeps the process alive until the backend is up.
  const keepAlive = setInterval(() => {}, 1000);

  return {
    restore() {
      clearInterval(keepAlive);
      globalThis.Blob = OriginalBlob;
      URL.createObjectURL = originalCreateObjectURL;
      os.cpus = originalCpus;
    },
    failure() {
      try {
        return readFileSync(errorPath, "utf8").split("\n")[0];
      } catch {
        return problem;
      }
    },
  };
}

interface EmscriptenModule {
  PThread?: { runningWorkers: { unref(): void }[] };
}

let result: Promise<WasmThreads | undefined> | undefined;

/**
 * Sets the wasm backend, on setWasmThreads' threads where it can (see the top of this file),
 * else on one thread with the reason in `note` (also written to stderr). Once per process; the
 * wasm package must be imported. Undefined when even the single-threaded build does not start.
 */
export function setWasmBackend(): Promise<WasmThreads | undefined> {
  result ??= (async () => {
    const started = await startWasm();
    if (started?.note)
      console.warn(
        `@nasvae/tf-backend: the wasm backend runs on ${started.threads} thread(s): ${started.note}`,
      );
    return started;
  })();
  return result;
}

async function startWasm(): Promise<WasmThreads | undefined> {
  // Loaded here, not at import: processes on a native backend never load it.
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  const requested = requestedThreads;
  let note: string | undefined;
  if (requested > 1) {
    const threaded = await startThreaded(wasm, Math.min(requested, MAX_WASM_THREADS));
    if (typeof threaded !== "string") {
      if (requested > MAX_WASM_THREADS && !threaded.note)
        threaded.note = `${requested} threads asked for: tfjs uses at most ${MAX_WASM_THREADS}`;
      return threaded;
    }
    note = threaded;
  }
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  wasm.setThreadsCount(1);
  if (!(await tf.setBackend("wasm"))) return undefined;
  return { threads: 1, ...(note ? { note } : {}) };
}

/** The threaded start-up; a string says why it did not happen. */
async function startThreaded(wasm: WasmPackage, threads: number): Promise<WasmThreads | string> {
  if (wasm.version_wasm !== THREADED_WASM_VERSION || tf.version_core !== THREADED_WASM_VERSION)
    return `threads rely on internals of @tensorflow/tfjs-backend-wasm ${THREADED_WASM_VERSION}, but tfjs-core ${tf.version_core} and tfjs-backend-wasm ${wasm.version_wasm} are loaded`;
  if (typeof SharedArrayBuffer !== "function") return "no SharedArrayBuffer in this runtime";
  if (!(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")))
    return "no WASM SIMD here (the threaded build is SIMD only)";

  const dir = mkdtempSync(join(os.tmpdir(), "nasvae-wasm-threads-"));
  const patches = patchStartup(threads, dir);
  let timer: NodeJS.Timeout | undefined;
  let started: boolean | "timeout";
  let thrown: string | undefined;
  try {
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
    wasm.setThreadsCount(threads);
    started = await Promise.race([
      tf.setBackend("wasm"),
      new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), START_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    started = false;
    thrown = error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
    patches.restore();
  }
  const failure = patches.failure() ?? thrown;
  // Once it is up, every worker has loaded the scripts; after a failure, some may still be
  // starting (and would crash the process if the scripts were gone).
  const removeScripts = () => rmSync(dir, { recursive: true, force: true });
  if (started === true) removeScripts();
  else process.once("exit", removeScripts);
  if (started === "timeout")
    return `the threaded build did not start within ${START_TIMEOUT_MS / 1000} s`;
  if (!started) return `the threaded build failed to start${failure ? `: ${failure}` : ""}`;

  // Running pthread workers are ref()'d by the glue: unref them so that they never keep the
  // process alive (they only wait for work from this thread, which blocks while they compute).
  const module = (tf.findBackend("wasm") as unknown as { wasm?: EmscriptenModule }).wasm;
  for (const worker of module?.PThread?.runningWorkers ?? []) worker.unref();
  const actual = wasm.getThreadsCount();
  return {
    threads: actual,
    ...(actual < threads ? { note: `tfjs started ${actual} of ${threads} threads` } : {}),
  };
}
