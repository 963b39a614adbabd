import { createHash } from "node:crypto";
import { type EvaluatorSpec, validateEvaluatorSpec } from "@nasvae/contracts";
import { canonicalJson } from "./canonical-json.ts";
import { enas6TableSha256 } from "./enas-6/table.ts";
import { nasBench201DataVersion } from "./nas-bench-201/data-version.ts";
import type { EvaluatorOptions } from "./options.ts";
import { TRAINER_VERSION } from "./train/trainer-version.ts";

/**
 * Bumped whenever an evaluator's mapping from data to EvaluationResult changes (which column
 * is validation/test, cost conventions), so that old cached results stop matching.
 */
export const EVALUATOR_FINGERPRINT_VERSION = 1;

/**
 * The canonical JSON that is hashed. nas-bench-201: the validated spec (kind, dataset), the
 * fingerprint version, and the version of the data behind it (sha256 of the NB201 CSV bytes).
 * CIFAR-100 and ImageNet16-120 add the sha256 of nb201_x_valid.csv (`xValidTable`), where their
 * accuracies come from, so results cached from the older test-only columns no longer match.
 * enas-6-table: the same shape, with the sha256 of the ENAS-6 CSV bytes.
 * train: the validated spec with its defaults filled in, and the trainer's version.
 */
export async function evaluatorFingerprintPayload(
  spec: EvaluatorSpec,
  options: EvaluatorOptions = {},
): Promise<string> {
  const clean = validateEvaluatorSpec(spec);
  if (clean.kind === "train") {
    return canonicalJson({
      version: EVALUATOR_FINGERPRINT_VERSION,
      spec: clean,
      trainer: TRAINER_VERSION,
    });
  }
  const data =
    clean.kind === "enas-6-table"
      ? { table: { sha256: await enas6TableSha256(options.enas6TablePath) } }
      : await nasBench201DataVersion(clean.dataset, options.nb201TablePath);
  return canonicalJson({
    version: EVALUATOR_FINGERPRINT_VERSION,
    kind: clean.kind,
    dataset: clean.dataset,
    ...data,
  });
}

/**
 * Stable cache key of an evaluator: sha256 hex of evaluatorFingerprintPayload. Results are
 * cached per (architecture, fingerprint); same spec + same table bytes => same fingerprint.
 */
export async function evaluatorFingerprint(
  spec: EvaluatorSpec,
  options: EvaluatorOptions = {},
): Promise<string> {
  const payload = await evaluatorFingerprintPayload(spec, options);
  return createHash("sha256").update(payload).digest("hex");
}
