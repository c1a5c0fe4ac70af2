import type { Logger } from '../../logging/logger.js';
import { httpFetch } from './http-fetch.js';
import { type PaceRule, paceRuleFor } from './method-tiers.js';
import type { PacerClock } from './pacer-clock.js';
import { noWebApiObserver, type WebApiObserver } from './web-api-observer.js';

type Fetch = typeof fetch;
type Bucket = { tokens: number; at: number; blockedUntil: number };

/** One attempt at a Web API call; a rate-limit wait is not part of it. */
const ATTEMPT_TIMEOUT_MS = 10_000;
/** Slack always sends Retry-After with a 429; should it ever not, this is waited. */
const DEFAULT_RETRY_AFTER_S = 5;

export type WebApiPacer = {
  /** Give this to every WebClient (`clientOptions.fetch`): every Web API call then passes the pacer. */
  fetch: Fetch;
};

/**
 * Below every Web API call, as the `fetch` WebClient uses: a budget per method (per channel for
 * chat.postMessage) following Slack's tiers, and on a 429 that method (only) waits `Retry-After` and the
 * call is sent again, here, so that WebClient never sees the 429. That matters twice: WebClient would pause
 * its whole queue (a rate-limited directory load holding back notifications), and count the 429 against its
 * retry budget (a rate limit turning into "Something went wrong"). A 429 is never a failure; the caller
 * only waits longer. Calls to other URLs (response_url) pass through untouched.
 *
 * WebClient's own timeout must be off (0): the pacer gives each attempt `ATTEMPT_TIMEOUT_MS`, so that the
 * time spent waiting out a rate limit does not count as a timeout.
 */
export function createWebApiPacer(deps: {
  apiUrl?: string;
  clock: PacerClock;
  logger: Logger;
  observer?: WebApiObserver;
  baseFetch?: Fetch;
  attemptTimeoutMs?: number;
}): WebApiPacer {
  const apiUrl = withSlash(deps.apiUrl ?? 'https://slack.com/api/');
  const baseFetch = deps.baseFetch ?? httpFetch;
  const observer = deps.observer ?? noWebApiObserver;
  const { clock, logger } = deps;
  const attemptTimeoutMs = deps.attemptTimeoutMs ?? ATTEMPT_TIMEOUT_MS;
  const buckets = new Map<string, Bucket>();

  function bucketOf(rule: PaceRule): Bucket {
    let bucket = buckets.get(rule.key);
    if (!bucket) {
      bucket = { tokens: rule.burst, at: clock.now(), blockedUntil: 0 };
      buckets.set(rule.key, bucket);
    }
    return bucket;
  }

  /** Takes a call from the budget, waiting for it (and for any Retry-After) when there is none left. */
  async function reserve(method: string, rule: PaceRule): Promise<void> {
    const bucket = bucketOf(rule);
    const perMs = rule.perMinute / 60_000;
    const now = clock.now();
    bucket.tokens = Math.min(rule.burst, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    bucket.tokens -= 1;
    const paceMs = bucket.tokens >= 0 ? 0 : -bucket.tokens / perMs;
    if (paceMs > 0) {
      observer.waited(method, paceMs, 'pace');
      await clock.sleep(paceMs);
    }
    // A 429 may have come in for this method meanwhile: wait it out too.
    for (let left = bucket.blockedUntil - clock.now(); left > 0; left = bucket.blockedUntil - clock.now()) {
      observer.waited(method, left, 'retry_after');
      await clock.sleep(left);
    }
  }

  const paced: Fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(apiUrl)) return baseFetch(input, init);
    const method = url.slice(apiUrl.length).split('?')[0] ?? '';
    const rule = paceRuleFor(method, method === 'chat.postMessage' ? channelOf(init?.body) : undefined);
    for (let attempt = 1; ; attempt++) {
      await reserve(method, rule);
      let res: Response;
      try {
        res = await baseFetch(url, { ...init, signal: AbortSignal.timeout(attemptTimeoutMs) });
      } catch (error) {
        observer.called(method, 'error');
        throw error;
      }
      if (res.status !== 429) {
        observer.called(method, res.ok ? 'ok' : 'error');
        return res;
      }
      await res.body?.cancel().catch(() => undefined);
      const header = Number.parseInt(res.headers.get('retry-after') ?? '', 10);
      const retryAfter = Number.isFinite(header) && header >= 0 ? header : DEFAULT_RETRY_AFTER_S;
      const bucket = bucketOf(rule);
      bucket.blockedUntil = Math.max(bucket.blockedUntil, clock.now() + retryAfter * 1000);
      bucket.tokens = Math.min(bucket.tokens, 0);
      observer.rateLimited(method, retryAfter);
      logger.info('Slack rate limit: waiting before sending again', { method, retryAfter, attempt });
    }
  };
  return { fetch: paced };
}

export function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** WebClient sends form-encoded strings; the channel decides chat.postMessage's budget. */
function channelOf(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  return new URLSearchParams(body).get('channel') ?? undefined;
}
