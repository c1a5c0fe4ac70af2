/** First retry after 30 s, then doubling, never more than an hour apart. */
const BASE_MS = 30_000;
const MAX_MS = 60 * 60_000;

/** After this many failed posts the notification is given up (and logged as an error): about a day. */
export const MAX_NOTIFY_ATTEMPTS = 30;

/** How long to wait before attempt `failedAttempts + 1`. */
export function notifyRetryDelayMs(failedAttempts: number): number {
  const exponent = Math.max(0, Math.min(20, failedAttempts - 1));
  return Math.min(MAX_MS, BASE_MS * 2 ** exponent);
}
