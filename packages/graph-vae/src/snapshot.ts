import type { tf } from "@nasvae/tf-backend";
import type { GraphVaeConfig } from "./config.ts";

/** Standardisation of the predictor targets, fitted on the labelled cells of the last round. */
export interface TargetStats {
  accuracyMean: number;
  accuracyStd: number;
  /** FLOPs are standardised on a log scale: cost spans two orders of magnitude. */
  logFlopsMean: number;
  logFlopsStd: number;
}

export interface SnapshotHeader {
  format: 1;
  config: GraphVaeConfig;
  stats: TargetStats;
  /** Steps trained so far, over all rounds. */
  steps: number;
  variables: { name: string; shape: number[]; offset: number; size: number }[];
}

/** Serialises weights and metadata: [uint32 header length][JSON header][float32 weights]. */
export function encodeSnapshot(
  header: Omit<SnapshotHeader, "variables" | "format">,
  variables: readonly { key: string; variable: tf.Variable }[],
): Uint8Array {
  let offset = 0;
  const entries = variables.map(({ key, variable }) => {
    const entry = { name: key, shape: variable.shape, offset, size: variable.size };
    offset += variable.size;
    return entry;
  });
  const weights = new Float32Array(offset);
  for (const [i, { variable }] of variables.entries()) {
    weights.set(variable.dataSync() as Float32Array, entries[i]?.offset ?? 0);
  }
  const json = new TextEncoder().encode(
    JSON.stringify({ ...header, format: 1, variables: entries }),
  );
  const bytes = new Uint8Array(4 + json.length + weights.byteLength + 4);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, json.length, true);
  bytes.set(json, 4);
  // Float32 data must start on a 4-byte boundary to be viewed in place when decoding.
  const dataStart = align4(4 + json.length);
  bytes.set(new Uint8Array(weights.buffer), dataStart);
  return bytes.subarray(0, dataStart + weights.byteLength);
}

export function decodeSnapshot(bytes: Uint8Array): {
  header: SnapshotHeader;
  weights: Float32Array;
} {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(0, true);
  const header = JSON.parse(
    new TextDecoder().decode(bytes.subarray(4, 4 + length)),
  ) as SnapshotHeader;
  if (header.format !== 1) throw new Error(`unknown graph-VAE snapshot format ${header.format}`);
  const start = align4(4 + length);
  const weights = new Float32Array(bytes.slice(start).buffer);
  return { header, weights };
}

function align4(n: number): number {
  return Math.ceil(n / 4) * 4;
}
