import * as tf from "@tensorflow/tfjs";
import type { ParameterOptimizer } from "./optimizer.ts";
import type { NamedVariable, TrainableNetwork } from "./trainable-network.ts";
import type { EpochReport, TrainingRecipe } from "./types.ts";

/*
 * A training run's state after an epoch, as bytes: everything trainNetwork needs to continue
 * as if it had never stopped. Layout: "NASVAECK", uint32 format version, uint32 header length
 * (little endian), the header as UTF-8 JSON, padding to 4 bytes, then every tensor's float32
 * values in header order. Binary rather than JSON numbers: a NAS-Bench-201 network at C=16 has
 * 1.1 M parameters and SGD one slot each, 9 MB as float32.
 */

const MAGIC = "NASVAECK";
const FORMAT_VERSION = 1;
const PREFIX_BYTES = MAGIC.length + 8;

/** Where a run stands after an epoch: what a checkpoint holds besides its tensors. */
export interface TrainingProgressState {
  /** Epochs finished (1-based: the last finished one). */
  readonly epoch: number;
  /** The learning curve so far, one report per finished epoch. */
  readonly curve: readonly EpochReport[];
  /** mulberry32 states of the shuffle and augment streams after `epoch`. */
  readonly random: { readonly shuffle: number; readonly augment: number | null };
  /** Running totals of the run's timings (trainNetwork's outcome sums them). */
  readonly totals: {
    readonly trainingTimeMs: number;
    readonly trainingPassMs: number;
    readonly samplesTrained: number;
  };
}

interface TensorEntry {
  readonly name: string;
  readonly shape: number[];
}

interface Header extends TrainingProgressState {
  /** The recipe the run trains with; a checkpoint of another recipe is refused. */
  readonly recipe: TrainingRecipe;
  readonly optimizerSteps: number;
  readonly network: TensorEntry[];
  readonly optimizer: TensorEntry[];
}

/** A checkpoint that cannot be read, or that belongs to another network or recipe. */
export class CheckpointMismatchError extends Error {
  override name = "CheckpointMismatchError";
}

/**
 * Serialises the network's variables (weights and batch-norm running statistics), the
 * optimiser's slots and step count, and `progress` into one checkpoint.
 */
export async function saveTrainingState(
  network: TrainableNetwork,
  optimizer: ParameterOptimizer,
  recipe: TrainingRecipe,
  progress: TrainingProgressState,
): Promise<Uint8Array> {
  const networkVariables = network.stateVariables();
  const optimizerVariables = optimizer.stateVariables();
  const header: Header = {
    ...progress,
    recipe,
    optimizerSteps: optimizer.steps,
    network: networkVariables.map(entry),
    optimizer: optimizerVariables.map(entry),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align4(PREFIX_BYTES + headerBytes.length);
  const all = [...networkVariables, ...optimizerVariables];
  const values = await Promise.all(all.map(({ variable }) => variable.data()));
  const floats = values.reduce((sum, v) => sum + v.length, 0);
  const bytes = new Uint8Array(dataStart + 4 * floats);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(MAGIC.length, FORMAT_VERSION, true);
  view.setUint32(MAGIC.length + 4, headerBytes.length, true);
  bytes.set(headerBytes, PREFIX_BYTES);
  const data = new Float32Array(bytes.buffer, dataStart, floats);
  let offset = 0;
  for (const [i, v] of values.entries()) {
    if (!(v instanceof Float32Array)) {
      throw new Error(`checkpoint: ${all[i]?.name} is not float32`);
    }
    data.set(v, offset);
    offset += v.length;
  }
  return bytes;
}

/**
 * Loads a checkpoint into `network` and `optimizer` (built as for a fresh run of `recipe`) and
 * returns where the run stood. Throws CheckpointMismatchError, changing nothing, when the bytes
 * are not a checkpoint or hold another recipe or other variables (names and shapes).
 */
export function restoreTrainingState(
  bytes: Uint8Array,
  network: TrainableNetwork,
  optimizer: ParameterOptimizer,
  recipe: TrainingRecipe,
): TrainingProgressState {
  const header = readHeader(bytes);
  if (JSON.stringify(header.recipe) !== JSON.stringify(recipe)) {
    throw new CheckpointMismatchError("checkpoint of another training recipe");
  }
  const networkVariables = network.stateVariables();
  const optimizerVariables = optimizer.stateVariables();
  matchEntries("network", header.network, networkVariables);
  matchEntries("optimizer", header.optimizer, optimizerVariables);
  if (header.epoch < 1 || header.curve.length !== header.epoch) {
    throw new CheckpointMismatchError(`checkpoint curve does not match epoch ${header.epoch}`);
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(
    MAGIC.length + 4,
    true,
  );
  const start = align4(PREFIX_BYTES + headerLength);
  const all = [...networkVariables, ...optimizerVariables];
  const floats = all.reduce((sum, { variable }) => sum + variable.size, 0);
  if (bytes.byteLength !== start + 4 * floats) {
    throw new CheckpointMismatchError("checkpoint truncated or padded");
  }
  // A copy: the data of a Buffer read from a file need not be 4-byte aligned.
  const data = new Float32Array(bytes.slice(start).buffer);
  let offset = 0;
  for (const { variable } of all) {
    const values = data.subarray(offset, offset + variable.size);
    offset += variable.size;
    tf.tidy(() => variable.assign(tf.tensor(values, variable.shape, "float32")));
  }
  optimizer.steps = header.optimizerSteps;
  const { epoch, curve, random, totals } = header;
  return { epoch, curve, random, totals };
}

function readHeader(bytes: Uint8Array): Header {
  if (bytes.byteLength < PREFIX_BYTES) throw new CheckpointMismatchError("not a checkpoint");
  if (new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw new CheckpointMismatchError("not a checkpoint");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(MAGIC.length, true);
  if (version !== FORMAT_VERSION) {
    throw new CheckpointMismatchError(`checkpoint format ${version}, expected ${FORMAT_VERSION}`);
  }
  const length = view.getUint32(MAGIC.length + 4, true);
  if (PREFIX_BYTES + length > bytes.byteLength) {
    throw new CheckpointMismatchError("checkpoint truncated");
  }
  try {
    return JSON.parse(
      new TextDecoder().decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + length)),
    ) as Header;
  } catch {
    throw new CheckpointMismatchError("checkpoint header is not JSON");
  }
}

function matchEntries(what: string, saved: TensorEntry[], current: NamedVariable[]): void {
  const same =
    saved.length === current.length &&
    saved.every((e, i) => {
      const c = current[i];
      return c && e.name === c.name && e.shape.join("x") === c.variable.shape.join("x");
    });
  if (!same) throw new CheckpointMismatchError(`checkpoint of another ${what}`);
}

function entry({ name, variable }: NamedVariable): TensorEntry {
  return { name, shape: [...variable.shape] };
}

function align4(n: number): number {
  return Math.ceil(n / 4) * 4;
}
