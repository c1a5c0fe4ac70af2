import type { PersonOutcome } from '../membership/types.js';
import type { Actor, AuditEvent, AuditOutcome, Change, ChangeAuditEntry, GivenUpDelivery } from './types.js';

export function toAuditOutcomes(outcomes: readonly PersonOutcome[]): AuditOutcome[] {
  return outcomes.map(({ user, outcome, reason }) => ({
    userId: user.id,
    name: user.name,
    email: user.email,
    outcome,
    ...(reason === undefined ? {} : { reason }),
  }));
}

/** Builds one audit row for an event in the life of a change. */
export function auditEntryFor(
  change: Change,
  event: AuditEvent,
  details: {
    id: string;
    at: Date;
    actor: Actor;
    approver?: Actor;
    outcomes?: readonly PersonOutcome[];
    reason?: string;
    /** The end the applied change recorded (the earliest, when the people's ends differ). */
    endsAt?: string;
  },
): ChangeAuditEntry {
  // `expiresAt` is set exactly when a preview becomes a request; direct applies and undos have none.
  const wentThroughRequest = change.expiresAt !== undefined || event === 'requested';
  const reason = details.reason ?? change.reason;
  return {
    id: details.id,
    at: details.at.toISOString(),
    event,
    actor: details.actor,
    ...(details.approver ? { approver: details.approver } : {}),
    action: change.action,
    groupId: change.group.id,
    groupName: change.group.name,
    outcomes: toAuditOutcomes(details.outcomes ?? []),
    ...(reason === undefined ? {} : { reason }),
    changeId: change.id,
    ...(wentThroughRequest ? { requestId: change.id } : {}),
    ...termFields(change, details.endsAt),
  };
}

/** `ends_at` of the audit export: the recorded end once applied, the term's own while requested. */
function termFields(
  change: Change,
  endsAt: string | undefined,
): Pick<ChangeAuditEntry, 'endsAt' | 'durationMs'> {
  if (endsAt) return { endsAt };
  if (!change.term) return {};
  return change.term.kind === 'until' ? { endsAt: change.term.at } : { durationMs: change.term.ms };
}

/** Who gives up a delivery in the audit log: the bot's announcer, not a person. */
const ANNOUNCER_ACTOR: Actor = { slackUserId: 'system:announcer', name: 'Announcer' };

/**
 * The audit row of a delivery given up (SPEC §4.4: retried for about a day, then given up with a trace an
 * administrator can find): which announcement of which change, after how many attempts, Slack's last answer.
 */
export function deliveryGivenUpEntry(
  change: Change,
  given: GivenUpDelivery,
  details: { id: string; at: Date },
): ChangeAuditEntry {
  const {
    endsAt: _end,
    durationMs: _duration,
    ...entry
  } = auditEntryFor(change, 'delivery_given_up', {
    ...details,
    actor: ANNOUNCER_ACTOR,
  });
  return { ...entry, delivery: given };
}
