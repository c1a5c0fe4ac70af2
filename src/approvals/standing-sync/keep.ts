import type { PersonOutcome } from '../../membership/types.js';
import type { Actor, Change } from '../types.js';
import type { StandingSync } from './types.js';

/**
 * The standing sync an applied `--keep` sync leaves (SPEC §4.7): the same source and mode, set up by whoever
 * applied it, its first run one SYNC_INTERVAL later, this change as its last run. None for another change.
 */
export function standingSyncOf(
  change: Change,
  applied: {
    finalStatus: 'applied' | 'partially_applied';
    outcomes: readonly PersonOutcome[];
    by: Actor;
    now: Date;
    intervalMs: number;
  },
): StandingSync | null {
  if (!change.keep || !change.syncSource || change.action !== 'sync') return null;
  const at = applied.now.toISOString();
  return {
    groupId: change.group.id,
    groupName: change.group.name,
    source: change.syncSource,
    addOnly: change.plan.addOnly ?? false,
    createdBy: applied.by,
    createdAt: at,
    nextRunAt: new Date(applied.now.getTime() + applied.intervalMs).toISOString(),
    lastRun: {
      at,
      outcome: applied.finalStatus,
      changeId: change.id,
      added: applied.outcomes.filter((o) => o.outcome === 'added').length,
      removed: applied.outcomes.filter((o) => o.outcome === 'removed').length,
    },
  };
}
