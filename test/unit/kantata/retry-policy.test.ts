import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
} from '../../../src/kantata/retry-policy.js';

describe('retry policy', () => {
  it('retries 429 and 503 for every method, other 5xx only for GET and DELETE', () => {
    for (const method of ['GET', 'DELETE', 'POST'] as const) {
      expect(isRetryableStatus(method, 429)).toBe(true);
      expect(isRetryableStatus(method, 503)).toBe(true);
      expect(isRetryableStatus(method, 400)).toBe(false);
      expect(isRetryableStatus(method, 404)).toBe(false);
      expect(isRetryableStatus(method, 422)).toBe(false);
    }
    expect(isRetryableStatus('GET', 500)).toBe(true);
    expect(isRetryableStatus('DELETE', 504)).toBe(true);
    expect(isRetryableStatus('POST', 500)).toBe(false);
    expect(isRetryableStatus('POST', 502)).toBe(false);
  });

  it('never retries a POST after a network error, and nothing after a non-transient one', () => {
    expect(isRetryableNetworkError('GET', 'ECONNRESET')).toBe(true);
    expect(isRetryableNetworkError('DELETE', 'UND_ERR_SOCKET')).toBe(true);
    expect(isRetryableNetworkError('POST', 'ECONNRESET')).toBe(false);
    expect(isRetryableNetworkError('GET', 'UND_ERR_INVALID_ARG')).toBe(false);
    expect(isRetryableNetworkError('GET', undefined)).toBe(false);
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect(backoffDelay(0, 100, 10_000, () => 0.999)).toBe(99);
    expect(backoffDelay(3, 100, 10_000, () => 0.5)).toBe(400);
    expect(backoffDelay(10, 100, 1_000, () => 0.999)).toBe(999);
    expect(backoffDelay(2, 100, 10_000, () => 0)).toBe(0);
  });

  it('reads Retry-After in seconds and as an HTTP date, capped', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now, 30_000)).toBe(2_000);
    expect(parseRetryAfter('0.5', now, 30_000)).toBe(500);
    expect(parseRetryAfter('120', now, 30_000)).toBe(30_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now, 30_000)).toBe(3_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now, 30_000)).toBe(0);
    expect(parseRetryAfter(['4'], now, 30_000)).toBe(4_000);
    expect(parseRetryAfter(undefined, now, 30_000)).toBeUndefined();
    expect(parseRetryAfter('soon', now, 30_000)).toBeUndefined();
  });
});
