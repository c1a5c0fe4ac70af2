import type { PersonOutcome } from '../../../src/membership/types.js';

/** `{ added: 99, failed: 1 }`: how many people got each outcome. */
export function countOutcomes(outcomes: readonly PersonOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o.outcome] = (counts[o.outcome] ?? 0) + 1;
  return counts;
}
