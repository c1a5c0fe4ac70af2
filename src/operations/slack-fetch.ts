import { httpFetch } from '../slack/web-api/http-fetch.js';

/** One HTTP request to Slack's Web API, as the metrics see it. */
export type SlackCall = {
  /** The Web API method (`chat.postMessage`); `response_url` for Bolt's `respond()` (same fetch). */
  method: string;
  /** HTTP status, `timeout` or `network_error`. */
  status: string;
  ms: number;
  /** Slack's `Retry-After` on a 429, in seconds. */
  retryAfterS?: number;
};

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

const METHOD_NAME = /^[a-z]+(\.[a-zA-Z]+)+$/;

/**
 * The Web API client's `fetch` (WebClient's `fetch` option), reporting every request: the one seam every
 * WebClient shares, Bolt's per-request clients and the Socket Mode client's included. Only the method name
 * and status are kept; the body is never read here, so nothing personal can reach a label. Bolt hands
 * the same `fetch` to `respond()`, so posts to response_urls are counted too.
 */
export function observedFetch(observe: (call: SlackCall) => void, base: Fetch = httpFetch): Fetch {
  return async (url, init) => {
    const method = methodOf(url);
    const started = performance.now();
    try {
      const response = await base(url, init);
      const retryAfter = Number(response.headers.get('retry-after'));
      observe({
        method,
        status: String(response.status),
        ms: performance.now() - started,
        ...(response.status === 429 && Number.isFinite(retryAfter) ? { retryAfterS: retryAfter } : {}),
      });
      return response;
    } catch (error) {
      const aborted = (error as { name?: unknown } | null)?.name === 'AbortError';
      const timedOut = aborted || (error as { name?: unknown } | null)?.name === 'TimeoutError';
      observe({ method, status: timedOut ? 'timeout' : 'network_error', ms: performance.now() - started });
      throw error;
    }
  };
}

function methodOf(url: string | URL): string {
  try {
    const name = new URL(String(url)).pathname.split('/').pop() ?? '';
    // Web API URLs end with the method name; the only other URLs this fetch sees are response_urls, whose
    // path holds a secret and never becomes a label.
    return METHOD_NAME.test(name) ? name : 'response_url';
  } catch {
    return 'response_url';
  }
}
