import type { Logger } from '../../logging/logger.js';
import { webApi } from '../bolt-runtime.js';
import type { PacerClock } from '../web-api/pacer-clock.js';

/** Slack's answers that mean the app-level token itself is wrong: retrying cannot help at start. */
const TOKEN_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'not_allowed_token_type',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
]);

export class SocketTokenError extends Error {
  constructor(readonly slackError: string) {
    super(
      `Slack refused the app-level token (SLACK_APP_TOKEN) for Socket Mode: ${slackError}. ` +
        'It must be an xapp-… token with the connections:write scope.',
    );
    this.name = 'SocketTokenError';
  }
}

export type SocketUrlSource = {
  /**
   * A fresh `wss://` URL from `apps.connections.open`. Every failure (5xx, network, 429 with its
   * Retry-After) is logged and retried with back-off and jitter, without limit; only a refused token before
   * the first connection ever rejects (with SocketTokenError), so that a wrong token stops the start.
   * Resolves undefined once `stop` was called.
   */
  next(opts: { everConnected: boolean; stopped: () => boolean }): Promise<string | undefined>;
};

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

/**
 * Its own WebClient with the app token and no retries of its own: Bolt would otherwise copy the bot's short
 * retryConfig into the Socket Mode client (the reference's trap, §1), and after a few 503s the error would
 * escape and end the process. Here the loop below is the only retry policy.
 */
export function createSocketUrlSource(deps: {
  appToken: string;
  apiUrl?: string;
  logger: Logger;
  clock: PacerClock;
  random?: () => number;
}): SocketUrlSource {
  const client = new webApi.WebClient(deps.appToken, {
    ...(deps.apiUrl ? { slackApiUrl: deps.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logLevel: webApi.LogLevel.ERROR,
  });
  const random = deps.random ?? Math.random;
  return {
    async next({ everConnected, stopped }) {
      for (let attempt = 1; !stopped(); attempt++) {
        let waitMs: number;
        let why: string;
        try {
          const res = await client.apps.connections.open({});
          if (typeof res.url === 'string' && res.url !== '') return res.url;
          why = 'no url in the answer';
          waitMs = backoff(attempt, random);
        } catch (error) {
          const code = errorCode(error);
          if (code && TOKEN_ERRORS.has(code) && !everConnected) throw new SocketTokenError(code);
          const retryAfter = (error as { retryAfter?: unknown }).retryAfter;
          waitMs =
            typeof retryAfter === 'number'
              ? retryAfter * 1000 + Math.floor(random() * 1000)
              : backoff(attempt, random);
          why =
            typeof retryAfter === 'number'
              ? 'ratelimited'
              : (code ?? (error instanceof Error ? error.message : String(error)));
        }
        const level = attempt >= 5 ? 'error' : 'warn';
        deps.logger[level]('Socket Mode: apps.connections.open failed; trying again', {
          attempt,
          waitMs,
          slackError: why,
        });
        await deps.clock.sleep(waitMs);
      }
      return undefined;
    },
  };
}

/** Exponential from 1 s to 30 s, with jitter (half to all of it) so that replicas do not retry in step. */
function backoff(attempt: number, random: () => number): number {
  const full = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (attempt - 1));
  return Math.round(full / 2 + (random() * full) / 2);
}

function errorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  if (typeof data?.error === 'string') return data.error;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number') return `http_${status}`;
  return undefined;
}
