import type { PersonOutcome } from '../../membership/types.js';
import type { Change } from '../types.js';
import { endOf } from './term.js';
import type { EndsWrite, MembershipEnd } from './types.js';

/**
 * What a finished change does to the recorded ends (SPEC §4.6), from its outcomes and the ends recorded now:
 * - an add with a term: the people added get their end; those already members keep being permanent unless
 *   they had an end, which moves ("end moves from … to …");
 * - an add without a term: whoever had an end becomes permanent (the end is dropped);
 * - a remove: the people removed or found gone lose their end (a due removal only drops the ends it holds,
 *   and releases those it could not remove, so they are tried again);
 * - a sync: the people removed lose their end; a temporary member the source still names stays temporary.
 */
export function endsWriteFor(
  change: Change,
  outcomes: readonly PersonOutcome[],
  current: readonly MembershipEnd[],
  now: Date,
): EndsWrite {
  const write: EndsWrite = { set: [], drop: [], release: [] };
  const recorded = new Map(current.map((end) => [end.userId, end]));
  const groupId = change.group.id;
  if (change.action === 'sync') {
    for (const o of outcomes) {
      if (o.outcome === 'removed' && recorded.has(o.user.id)) write.drop.push({ groupId, userId: o.user.id });
    }
    return write;
  }
  if (change.action === 'remove') {
    for (const o of outcomes) {
      const key = { groupId, userId: o.user.id };
      if (change.expiry) {
        if (o.outcome === 'failed') {
          write.release.push({ ...key, claimedBy: change.id, error: o.reason ?? 'Kantata failed' });
        } else write.drop.push({ ...key, claimedBy: change.id });
      } else if (o.outcome !== 'failed' && recorded.has(o.user.id)) write.drop.push(key);
    }
    return write;
  }
  for (const o of outcomes) {
    const existing = recorded.get(o.user.id);
    if (o.outcome === 'failed') continue;
    if (!change.term) {
      if (existing) write.drop.push({ groupId, userId: o.user.id });
      continue;
    }
    // Already a permanent member: stays permanent, whatever the term (shown so in the preview).
    if (o.outcome === 'already_member' && !existing) continue;
    const approvedBy = existing ? existing.approvedBy : change.decidedBy;
    write.set.push({
      groupId,
      userId: o.user.id,
      groupName: change.group.name,
      user: o.user,
      endsAt: endOf(change.term, now, existing?.endsAt),
      setBy: change.id,
      addedAt: existing?.addedAt ?? now.toISOString(),
      addedBy: existing?.addedBy ?? change.requestedBy,
      ...(approvedBy ? { approvedBy } : {}),
    });
  }
  return write;
}

export function isEmptyEndsWrite(write: EndsWrite): boolean {
  return write.set.length === 0 && write.drop.length === 0 && write.release.length === 0;
}

/** A failed due removal is reported at this failure of the same person (and retried quietly before). */
export const REPORT_EXPIRY_FAILURE_AFTER = 3;

/**
 * A due removal that removed nobody because Kantata failed, for people who have not failed this often yet:
 * recorded and audited but not announced (it is retried at the next sweep); the failure is announced once
 * it has repeated (REPORT_EXPIRY_FAILURE_AFTER).
 */
export function isQuietExpiryRetry(change: Change, outcomes: readonly PersonOutcome[], reportAfter: number) {
  if (!change.expiry || outcomes.some((o) => o.outcome !== 'failed')) return false;
  const failures = new Map(change.expiry.ends.map((end) => [end.userId, end.failures ?? 0]));
  return outcomes.every((o) => (failures.get(o.user.id) ?? 0) + 1 < reportAfter);
}
