import type { CampaignResponse as Campaign } from "@nasvae/contracts";
import { percentWithUnit } from "./numbers.ts";

/** `[#####.....]`: `done` of `total`, `width` characters between the brackets. */
export function progressBar(done: number, total: number, width = 30): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.floor(fraction * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
}

function bestSoFar(campaign: Campaign): string {
  const { best } = campaign;
  return best
    ? `best: valid ${percentWithUnit(best.validationAccuracy)}  test ${percentWithUnit(best.testAccuracy)}`
    : "best: -";
}

/** What changes while a campaign runs, as one line: the unit of `watch`'s output. */
export function progressSummary(campaign: Campaign): string {
  const { evaluations, budget, rounds, failed } = campaign.progress;
  const counts = `${String(evaluations).padStart(String(budget).length)}/${budget}`;
  const failures = failed > 0 ? `  ${failed} failed` : "";
  // The status before the figures: a narrow terminal cuts the end of the line.
  return `${counts}  ${campaign.status}  round ${rounds}${failures}  ${bestSoFar(campaign)}`;
}

/** `m:ss`, or `h:mm:ss` from an hour. */
export function clock(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const two = (n: number) => String(n).padStart(2, "0");
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/**
 * The line redrawn in place on a terminal: the bar, the summary and the time since the campaign
 * started (which shows it is alive while a round trains its model for a while).
 */
export function progressLine(campaign: Campaign, barWidth = 30, elapsedMs?: number): string {
  const { evaluations, budget } = campaign.progress;
  const elapsed = elapsedMs === undefined ? "" : `  ${clock(elapsedMs)}`;
  return `${progressBar(evaluations, budget, barWidth)} ${progressSummary(campaign)}${elapsed}`;
}
