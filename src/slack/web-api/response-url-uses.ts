import { withSlash } from './pacer.js';

type Fetch = typeof fetch;

/** Slack accepts at most this many posts to one response_url (reference slack-bolt-ecosystem §2.4) … */
export const RESPONSE_URL_MAX_USES = 5;
/** … within this long. */
const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

export type ResponseUrlUses = {
  /** Posts this replica can still make to `url` before Slack answers 404 (5 minus what it sent). */
  remaining(url: string): number;
  /** Wraps the `fetch` under `respond()`: every POST to a response_url (not to the Web API) is counted. */
  counting(fetch: Fetch): Fetch;
};

/**
 * Counts the posts this bot makes to each response_url, wherever they come from (a command's "Looking up…",
 * the preview, "Applying…", progress, the result), so that progress can be given only from what is left
 * after keeping one post for the result. A post counts when it is sent, refused or not: counting one too
 * many costs a progress update, one too few costs the result. Entries go 30 minutes after their first post
 * (Slack's lifetime), so memory stays flat. In memory per replica: a click handled by another replica than
 * the command knows fewer uses, which is why the result also has a way around a used-up url.
 */
export function createResponseUrlUses(deps: { apiUrl?: string; now?: () => number } = {}): ResponseUrlUses {
  const apiUrl = withSlash(deps.apiUrl ?? 'https://slack.com/api/');
  const now = deps.now ?? Date.now;
  // Insertion order is first-use order, so the expired ones are always at the front.
  const uses = new Map<string, { count: number; firstAt: number }>();

  function forget(): void {
    for (const [url, entry] of uses) {
      if (now() - entry.firstAt < RESPONSE_URL_LIFETIME_MS) return;
      uses.delete(url);
    }
  }

  function record(url: string): void {
    forget();
    const entry = uses.get(url);
    if (entry) entry.count += 1;
    else uses.set(url, { count: 1, firstAt: now() });
  }

  return {
    remaining(url) {
      forget();
      return Math.max(0, RESPONSE_URL_MAX_USES - (uses.get(url)?.count ?? 0));
    },
    counting(fetch) {
      return (input, init) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
        if (method === 'POST' && !url.startsWith(apiUrl)) record(url);
        return fetch(input, init);
      };
    },
  };
}
