import { type Change, FINAL_STATUSES } from '../approvals/types.js';

/**
 * What stays in the live state: a change not yet finished, or finished with its announcement still to
 * post (the retries look for those). Everything else is history: it never changes again except for small
 * patches (undone by, notification state, where it is shown).
 */
export function isLive(change: Change): boolean {
  return !FINAL_STATUSES.includes(change.status) || owesAnnouncement(change);
}

/**
 * A finished change whose channel notice or outbox announcement is still to post. (PostgreSQL derives the
 * same in its `owes` column, migration 6.)
 */
export function isOwing(change: Change): boolean {
  return FINAL_STATUSES.includes(change.status) && owesAnnouncement(change);
}

function owesAnnouncement(change: Change): boolean {
  return (
    change.notification?.status === 'pending' ||
    Object.values(change.outbox ?? {}).some((delivery) => delivery?.status === 'pending')
  );
}

/** A preview nobody acted on within PREVIEW_TTL: dropped, it was never a change attempt. */
export function isStalePreview(change: Change, nowMs: number, previewTtlMs: number): boolean {
  return change.status === 'previewed' && Date.parse(change.createdAt) + previewTtlMs <= nowMs;
}
