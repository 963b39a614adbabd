/**
 * Every status a campaign can have, as Prisma's `CampaignStatus` enum spells them (a test checks
 * that the two lists agree); `paused` is not an end (see docs/campaign-control.md).
 */
export const CAMPAIGN_STATUSES = [
  "queued",
  "running",
  "paused",
  "completed",
  "failed",
  "cancelled",
] as const;

export type CampaignStatusName = (typeof CAMPAIGN_STATUSES)[number];
