import { setTimeout as sleep } from 'node:timers/promises';
import { afterAcks } from '../util/acks-first.js';
import { Agent, type Dispatcher, request } from '../util/undici-runtime.js';
import { createScrubber, errorFromResponse, KantataError, sanitizeCause } from './kantata-error.js';
import { createLimiter } from './limiter.js';
import { collectPages, iteratePages } from './pagination.js';
import {
  backoffDelay,
  type HttpMethod,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
} from './retry-policy.js';

export type { KantataQuery } from './kantata-query.js';

import type { KantataQuery } from './kantata-query.js';

/**
 * What the client reports of every attempt, for metrics (the one seam where Kantata calls are counted).
 * `route` is the path with ids replaced by `:id`, so labels stay few and carry no data; `status` is the
 * HTTP status, or `timeout` / `network_error` when no answer came.
 */
export interface KantataCallObserver {
  attempted(call: { method: HttpMethod; route: string; status: string; ms: number }): void;
  /** The client waits before trying again: Kantata's `Retry-After` or its own back-off. */
  retryWait(wait: {
    method: HttpMethod;
    route: string;
    reason: 'rate_limited' | 'unavailable' | 'network';
    ms: number;
  }): void;
}

export interface KantataLogger {
  debug(msg: string, meta?: object): void;
  warn(msg: string, meta?: object): void;
}

export type KantataClientOptions = {
  /** e.g. `https://api.mavenlink.com/api/v1` (no trailing slash needed). */
  baseUrl: string;
  /** OAuth bearer token. Never logged, never put in an error. */
  token: string;
  /** Requests in flight at once for this client (`KANTATA_CONCURRENCY`). */
  concurrency: number;
  /** Deadline of one attempt, from when it gets a slot until its body is read. Default 15 000. */
  timeoutMs?: number;
  /** Retries after the first attempt, for retryable failures. Default 4. */
  maxRetries?: number;
  /** Base of the exponential back-off. Default 250. */
  retryBaseMs?: number;
  /** Longest back-off between attempts when Kantata sends no `Retry-After`. Default 8 000. */
  maxBackoffMs?: number;
  /** Cap on a `Retry-After` wait. Default 30 000. */
  maxRetryAfterMs?: number;
  logger?: KantataLogger;
  observer?: KantataCallObserver;
  /** Use this dispatcher instead of an own keep-alive `Agent` (the caller then owns and closes it). */
  dispatcher?: Dispatcher;
};

/** A low-level Kantata HTTP client: auth, deadline, concurrency limit, retries, errors. Bodies are `unknown`. */
export interface KantataClient {
  /** GET; resolves to the parsed JSON body. */
  get(path: string, query?: KantataQuery): Promise<unknown>;
  /** POST a JSON body; never repeated after a 5xx other than 503, a network error or a deadline. */
  post(path: string, body: unknown, query?: KantataQuery): Promise<unknown>;
  /** DELETE; resolves when Kantata answers 2xx (204). */
  delete(path: string): Promise<void>;
  /**
   * Every page of a list (`per_page=200` unless given): page 1, then pages 2..`meta.page_count`
   * concurrently (within the limit), resolved in page order. Each element is one page's body.
   */
  getAllPages(path: string, query?: KantataQuery): Promise<unknown[]>;
  /** Like `getAllPages` but yields page by page, in order, fetching at most `concurrency` pages ahead. */
  pages(path: string, query?: KantataQuery): AsyncGenerator<unknown, void, undefined>;
  /** Closes the own keep-alive pool (not a dispatcher passed in). */
  close(): Promise<void>;
}

type AttemptResult =
  | { kind: 'response'; status: number; headers: Record<string, string | string[] | undefined>; text: string }
  | { kind: 'network'; error: unknown }
  | { kind: 'timeout' };

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Creates the Kantata HTTP client. Each attempt takes one slot of the limiter (waiting between retries
 * does not hold a slot) and has its own deadline; the deadline starts when the slot is granted so that
 * local queueing never counts as Kantata being slow.
 */
export function createKantataClient(options: KantataClientOptions): KantataClient {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxRetries = options.maxRetries ?? 4;
  const retryBaseMs = options.retryBaseMs ?? 250;
  const maxBackoffMs = options.maxBackoffMs ?? 8_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const logger = options.logger;
  const observer = options.observer;
  const scrub = createScrubber(options.token);
  const limiter = createLimiter(options.concurrency);
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const ownAgent = options.dispatcher
    ? undefined
    : new Agent({ keepAliveTimeout: 10_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const dispatcher: Dispatcher = options.dispatcher ?? (ownAgent as Agent);

  const buildUrl = (path: string, query?: KantataQuery): string => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) params.set(name, String(value));
    }
    const search = params.toString();
    return `${baseUrl}${path.startsWith('/') ? path : `/${path}`}${search ? `?${search}` : ''}`;
  };

  const attempt = async (
    method: HttpMethod,
    url: string,
    body: string | undefined,
  ): Promise<AttemptResult> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await request(url, {
        method,
        dispatcher,
        signal: controller.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        headers: {
          authorization: `Bearer ${options.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body }),
      });
      const text = await response.body.text();
      return { kind: 'response', status: response.statusCode, headers: response.headers, text };
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (controller.signal.aborted || (typeof code === 'string' && TIMEOUT_CODES.has(code))) {
        return { kind: 'timeout' };
      }
      return { kind: 'network', error };
    } finally {
      clearTimeout(timer);
    }
  };

  const send = async (method: HttpMethod, path: string, query?: KantataQuery, payload?: unknown) => {
    const url = buildUrl(path, query);
    const body = payload === undefined ? undefined : JSON.stringify(payload);
    const where = { method, path };
    const route = routeOf(path);
    for (let tries = 0; ; tries += 1) {
      const started = Date.now();
      const result = await limiter.run(async () => {
        // Timed from the slot, like the deadline: local queueing is not Kantata's latency.
        const slotAt = performance.now();
        const outcome = await attempt(method, url, body);
        observer?.attempted({ method, route, status: statusLabel(outcome), ms: performance.now() - slotAt });
        return outcome;
      });
      // What the answer leads to (parsing it, the next request, the answer to Slack) waits for the acks, and
      // after the slot is free: waiting there holding it kept the next request of a bulk change from going
      // out (a 10,000-person add is 150 requests through KANTATA_CONCURRENCY slots).
      await afterAcks();
      const ms = Date.now() - started;

      if (result.kind === 'timeout') {
        logger?.warn('kantata request passed its deadline', { ...where, timeoutMs, attempt: tries + 1 });
        throw new KantataError(
          'kantata_timeout',
          `Kantata did not answer ${method} ${path} within ${timeoutMs} ms`,
          {
            detail: { ...where, timeoutMs },
          },
        );
      }

      if (result.kind === 'network') {
        const cause = sanitizeCause(result.error, scrub);
        const code = (cause as { code?: unknown }).code;
        if (isRetryableNetworkError(method, code) && tries < maxRetries) {
          const delay = backoffDelay(tries, retryBaseMs, maxBackoffMs);
          logger?.warn('kantata network error, retrying', {
            ...where,
            code,
            attempt: tries + 1,
            delayMs: delay,
          });
          observer?.retryWait({ method, route, reason: 'network', ms: delay });
          await sleep(delay);
          continue;
        }
        logger?.warn('kantata network error', { ...where, code, attempt: tries + 1 });
        throw new KantataError(
          'kantata_unavailable',
          `Kantata could not be reached for ${method} ${path}: ${cause.message}`,
          {
            detail: { ...where, ...(typeof code === 'string' ? { networkCode: code } : {}) },
            cause,
          },
        );
      }

      const { status } = result;
      logger?.debug('kantata response', { ...where, status, ms, attempt: tries + 1 });
      const json = parseJson(result.text);
      if (status >= 200 && status < 300) {
        if (json.ok) return json.value;
        throw new KantataError(
          'kantata_bad_response',
          `Kantata sent a body that is not JSON for ${method} ${path}`,
          {
            status,
            detail: { ...where, status },
          },
        );
      }
      if (isRetryableStatus(method, status) && tries < maxRetries) {
        const now = Date.now();
        const retryAfter = parseRetryAfter(result.headers['retry-after'], now, maxRetryAfterMs);
        const delay = retryAfter ?? backoffDelay(tries, retryBaseMs, maxBackoffMs);
        logger?.warn('kantata asked to retry', { ...where, status, attempt: tries + 1, delayMs: delay });
        observer?.retryWait({
          method,
          route,
          reason: status === 429 ? 'rate_limited' : 'unavailable',
          ms: delay,
        });
        await sleepUntil(now + delay);
        continue;
      }
      throw errorFromResponse(status, json.ok ? json.value : undefined, where, scrub);
    }
  };

  const getPage = (path: string, query: KantataQuery) => send('GET', path, query);

  return {
    get: (path, query) => send('GET', path, query),
    post: (path, body, query) => send('POST', path, query, body),
    delete: async (path) => {
      await send('DELETE', path);
    },
    getAllPages: (path, query = {}) => collectPages(getPage, path, query),
    pages: (path, query = {}) => iteratePages(getPage, path, query, options.concurrency),
    close: async () => {
      if (ownAgent) await ownAgent.close();
    },
  };
}

/**
 * `/workspace_groups/42` → `/workspace_groups/:id`: one label value per endpoint. Only resource words
 * (`users`, `me`) survive; anything else (an id, whatever a caller put in a path) becomes `:id`.
 */
export function routeOf(path: string): string {
  const bare = path.split('?')[0] ?? '';
  return bare
    .split('/')
    .map((segment) => (segment === '' || /^[a-z_]+$/.test(segment) ? segment : ':id'))
    .join('/');
}

function statusLabel(result: AttemptResult): string {
  if (result.kind === 'response') return String(result.status);
  return result.kind === 'timeout' ? 'timeout' : 'network_error';
}

/**
 * Waits until the wall clock reaches `target`. Timers may fire a little early against `Date.now()`
 * (libuv's cached loop time); Kantata's `Retry-After` is a promise we must not break, so re-check.
 */
async function sleepUntil(target: number): Promise<void> {
  for (let left = target - Date.now(); left > 0; left = target - Date.now()) await sleep(left);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  // 204 and other empty bodies.
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
