import { deliveryGivenUpEntry } from '../../approvals/audit-entry.js';
import { newChangeId } from '../../approvals/change-service.js';
import type { Change, Delivery, NotificationState } from '../../approvals/types.js';
import { afterFailedAttempt } from './backoff.js';
import type { NotifyContext } from './notify-context.js';

/**
 * Records a failed attempt of one delivery a change owes (its channel notice or an outbox announcement),
 * the same way for every one of them: retried later with back-off, or, after the last attempt, given up.
 * A give-up is an audit row written in the same store write as the `failed` state (so there is exactly
 * one, whichever process gave up) and an error line naming the change and that audit row.
 */
export async function recordFailedDelivery(
  ctx: NotifyContext,
  input: { change: Change; delivery: Delivery; state: NotificationState; error: unknown },
): Promise<NotificationState> {
  const { change, delivery } = input;
  const at = ctx.clock.now();
  const next = afterFailedAttempt(input.state, input.error, at.getTime());
  const givenUp = next.status === 'failed';
  const audit = givenUp
    ? deliveryGivenUpEntry(
        change,
        { delivery, attempts: next.attempts, ...(next.lastError ? { lastError: next.lastError } : {}) },
        { id: newChangeId(), at },
      )
    : undefined;
  const also = audit ? { audit } : undefined;
  if (delivery === 'notification') await ctx.store.updateChange(change.id, { notification: next }, also);
  else await ctx.store.recordDeliveries(change.id, { [delivery]: next }, also);
  const fields = { changeId: change.id, delivery, attempts: next.attempts, lastError: next.lastError };
  if (givenUp) {
    // The audit row named is the give-up's own: it names the change, its group and what was not posted.
    ctx.logger.error('delivery given up', { ...fields, auditId: audit?.id });
  } else {
    ctx.logger.warn('delivery failed; will retry', { ...fields, nextAttemptAt: next.nextAttemptAt });
  }
  return next;
}
