import type { Change } from './types.js';

/** "already applied by Ann at 2026-11-26T10:00:00Z": why a stale click could not act. */
export function describeDecided(change: Change): string {
  const by = change.decidedBy ?? change.appliedBy;
  const who = by ? ` by ${by.name ?? by.slackUserId}` : '';
  const at = change.decidedAt ?? change.appliedAt ?? change.updatedAt;
  const verb: Record<Change['status'], string> = {
    previewed: 'still a preview',
    pending: 'waiting for approval',
    approved: 'already approved',
    denied: 'already denied',
    cancelled: 'already cancelled',
    expired: 'expired',
    applying: 'being applied',
    applied: 'already applied',
    partially_applied: 'already applied (partly)',
    failed: 'already attempted and failed',
  };
  return `This change is ${verb[change.status]}${who} at ${at}.`;
}
