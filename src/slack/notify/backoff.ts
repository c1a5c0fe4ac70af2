import type { NotificationState } from '../../approvals/types.js';
import { slackErrorCode } from '../people/slack-people-error.js';
import { truncateText } from '../text/truncate-text.js';

/**
 * The one delivery policy of everything the bot owes Slack (the channel notice, the approval card and its
 * thread, the requester's DM): first retry after 30 s, then doubling, never more than an hour apart, never
 * sooner than Slack's own `Retry-After`; given up after about a day (30 attempts), with an audit row
 * (`delivery_given_up`) and an error log line naming the change and that row (`failed-delivery.ts`).
 */
const BASE_MS = 30_000;
const MAX_MS = 60 * 60_000;

/** After this many failed posts a delivery is given up (audited and logged as an error): about a day. */
export const MAX_NOTIFY_ATTEMPTS = 30;

/** How long to wait before attempt `failedAttempts + 1`. */
function notifyRetryDelayMs(failedAttempts: number): number {
  const exponent = Math.max(0, Math.min(20, failedAttempts - 1));
  return Math.min(MAX_MS, BASE_MS * 2 ** exponent);
}

/** A claim per attempt: two posters (a click and the relay, or two replicas) never post the same attempt. */
export const DELIVERY_CLAIM_TTL_MS = 24 * 60 * 60_000;

/** The state after a failed attempt: retried later, or given up. */
export function afterFailedAttempt(
  state: NotificationState,
  error: unknown,
  nowMs: number,
): NotificationState {
  const attempts = state.attempts + 1;
  const lastError = truncateText(slackErrorCode(error) ?? String(error), 200);
  if (attempts >= MAX_NOTIFY_ATTEMPTS) return { status: 'failed', attempts, lastError };
  const waitMs = Math.max(notifyRetryDelayMs(attempts), retryAfterMs(error));
  return { status: 'pending', attempts, nextAttemptAt: new Date(nowMs + waitMs).toISOString(), lastError };
}

/** Whether a pending delivery may be tried now. */
export function isDue(state: NotificationState | undefined, nowMs: number): state is NotificationState {
  if (state?.status !== 'pending') return false;
  return !state.nextAttemptAt || Date.parse(state.nextAttemptAt) <= nowMs;
}

/** Slack's `Retry-After` on a rate-limited call (WebClient's `retryAfter`, seconds), in ms; 0 without one. */
function retryAfterMs(error: unknown): number {
  const seconds = (error as { retryAfter?: unknown } | null)?.retryAfter;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}
