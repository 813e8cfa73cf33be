import { PUBLISH_BATCH_SIZE } from '@tongfa/jobs';

/**
 * Which publications go first (issue #16). A county's emergency release (突发事件) must not wait
 * behind a province-wide fan-out; a unit's own releases go before campaign relays (转载); and
 * within a lane one publication's thousands of accounts must not hold back another's six.
 */
export const PUBLICATION_PRIORITIES = ['emergency', 'normal', 'campaign'] as const;
export type PublicationPriority = (typeof PUBLICATION_PRIORITIES)[number];

/** From the manuscript's category: 突发事件 → emergency, reprints (campaign relays, 转载) → campaign. */
export function priorityOfCategory(category: string): PublicationPriority {
  if (category === 'emergency') return 'emergency';
  if (category === 'reprint') return 'campaign';
  return 'normal';
}

/**
 * Targets of one publication per round: the n-th round of every publication goes before any
 * (n+1)-th. A round is also what one worker job claims at once (`publication.publish-batch`).
 */
export const ROUND_SIZE = PUBLISH_BATCH_SIZE;
/** Ranks per lane; a publication's rounds beyond it share the lane's last rank. */
const LANE_WIDTH = 100_000;
const LANE_BASE: Record<PublicationPriority, number> = { emergency: 1, normal: 1 + LANE_WIDTH, campaign: 1 + 2 * LANE_WIDTH };

/**
 * The queue rank of a publication's `index`-th target: lower runs first (Bull's job priority, and
 * the order the reconciler and the embedded queue pick due rows in). Lanes never overlap, so an
 * emergency target outranks every normal one; inside a lane the rank is the target's round, which
 * interleaves publications round-robin (a publication made later starts with round 0, ahead of
 * the rounds a large one has not reached yet).
 */
export function targetRank(priority: PublicationPriority, index: number): number {
  return LANE_BASE[priority] + Math.min(LANE_WIDTH - 1, Math.floor(index / ROUND_SIZE));
}

/** The lane a rank belongs to (for views and tests). */
export function laneOfRank(rank: number): PublicationPriority {
  if (rank < LANE_BASE.normal) return 'emergency';
  if (rank < LANE_BASE.campaign) return 'normal';
  return 'campaign';
}
