/**
 * When to try a Kantata request again, and how long to wait first.
 *
 * - 429 and 503: Kantata did not act on the request, so any method may be repeated, POST included.
 * - Other 5xx and network errors: only GET and DELETE are repeated. A POST that failed this way may have
 *   been applied (the outcome is unknown); repeating it could double-add, so the caller must re-read instead.
 * - A deadline that passed is never repeated here: the caller decides (it may be slow, not down).
 */
export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export function isRetryableStatus(method: HttpMethod, status: number): boolean {
  if (status === 429 || status === 503) return true;
  if (status >= 500 && status <= 599) return method !== 'POST';
  return false;
}

/** Transport failures worth another try (the connection, not the request, was the problem). */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** A network error is retried for GET and DELETE only, and only when it is transient (not a bad argument). */
export function isRetryableNetworkError(method: HttpMethod, code: unknown): boolean {
  return method !== 'POST' && typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code);
}

/** Exponential back-off with full jitter: a random delay in [0, min(cap, base·2^attempt)). */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * Parses `Retry-After` (delta-seconds or an HTTP-date) into milliseconds from `nowMs`, capped at `capMs`.
 * Returns undefined when absent or unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfter(
  value: string | string[] | undefined,
  nowMs: number,
  capMs: number,
): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.min(capMs, Math.ceil(Number(text) * 1000));
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(capMs, Math.max(0, at - nowMs));
}
