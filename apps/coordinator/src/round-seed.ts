/** A round's own 32-bit seed, so a replayed round proposes exactly the same candidates. */
export function roundSeed(campaignSeed: number, roundIndex: number): number {
  return (campaignSeed ^ Math.imul(roundIndex + 1, 0x9e3779b1)) >>> 0;
}
