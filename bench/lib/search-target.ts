import type { Nb201Dataset } from "@nasvae/contracts";
import { nasBench201SearchSpace } from "@nasvae/search-space";
import type { AnySearchSpace } from "@nasvae/strategies";
import { nb201Score } from "./nb201.ts";
import type { ScoreFunction } from "./run-campaign.ts";

/**
 * What a bench campaign searches, by name, so that it can travel to a child process:
 *  - nas-bench-201: the whole space, scored from the NAS-Bench-201 tables for `dataset`;
 *  - enas-macro-6: the ENAS-6 space restricted to the 20,020-row table (D-VAE's data), scored by
 *    the enas-6-table evaluator (weight-sharing accuracy × 100; no test accuracy).
 */
export type SearchTarget =
  | { readonly space: "nas-bench-201"; readonly dataset: Nb201Dataset }
  | { readonly space: "enas-macro-6" };

export interface ResolvedTarget {
  space: AnySearchSpace;
  score: ScoreFunction;
}

const resolved = new Map<string, Promise<ResolvedTarget>>();

/** The space and score function of a target; built once per target per process. */
export function resolveSearchTarget(target: SearchTarget): Promise<ResolvedTarget> {
  const key = JSON.stringify(target);
  let entry = resolved.get(key);
  if (!entry) {
    entry =
      target.space === "nas-bench-201"
        ? Promise.resolve({ space: nasBench201SearchSpace, score: nb201Score(target.dataset) })
        : import("./enas6.ts").then(({ enas6Target }) => enas6Target());
    resolved.set(key, entry);
    entry.catch(() => resolved.delete(key));
  }
  return entry;
}

/** How a target is named in reports. */
export function describeTarget(target: SearchTarget): string {
  return target.space === "nas-bench-201"
    ? `NAS-Bench-201 ${target.dataset}`
    : "ENAS-6 table (D-VAE's 20,020 architectures)";
}
