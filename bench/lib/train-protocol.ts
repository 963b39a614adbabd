/** Messages between bench/train.ts and its TF.js child (bench/lib/train-worker.ts). */

export interface Nb201Workload {
  kind: "nb201";
  /** Row label, e.g. "NB201 N=5 best". */
  label: string;
  archString: string;
  cellsPerStage: number;
  channels: number;
  classes: number;
  imageSize: number;
  batchSize: number;
  /** Batches per timed epoch; the first epoch (as many batches) is the warm-up. */
  batches: number;
  /** Timed epochs after the warm-up epoch. */
  repeats: number;
  /** Random crop + flip, as real training does (off by default: PyTorch's side has none). */
  augment: boolean;
}

export interface GraphVaeWorkload {
  kind: "graph-vae";
  label: string;
  /** Untimed steps first (one train() call). */
  warmup: number;
  /** Timed steps per repeat (one train() call each). */
  steps: number;
  repeats: number;
  /** Labelled graphs the predictors train on (random accuracies and FLOPs). */
  labelled: number;
}

export type Workload = Nb201Workload | GraphVaeWorkload;

export interface WorkerRequest {
  workloads: Workload[];
  seed: number;
}

/** One workload's figures, or why it has none. */
export interface Measurement {
  label: string;
  /** samples/s of each timed repeat (graphs/s for the graph VAE). */
  samplesPerSecond?: number[];
  /**
   * The same samples over the CPU time (user + system) the process spent on them: less sensitive
   * than wall time to other processes sharing the cores.
   */
  samplesPerCpuSecond?: number[];
  /** Parameters of the network that was timed, counted from its variables. */
  params?: number;
  /** How it was timed, in words. */
  timing?: string;
  error?: string;
}

export type WorkerMessage =
  | {
      kind: "backend";
      backend: string;
      tfjsVersion: string;
      note?: string;
      /** Threads the backend computes on, where we set them (wasm: NASVAE_WASM_THREADS). */
      threads?: number;
      /** Why wasm has fewer threads than asked for. */
      threadsNote?: string;
    }
  | { kind: "result"; measurement: Measurement }
  | { kind: "fatal"; error: string }
  | { kind: "done" };
