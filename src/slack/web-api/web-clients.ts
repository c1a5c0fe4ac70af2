import type { WebClient, WebClientOptions } from '@slack/web-api';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../logging/logger.js';
import { webApi } from '../bolt-runtime.js';
import { createWebApiPacer, type WebApiPacer } from './pacer.js';
import { type PacerClock, realPacerClock } from './pacer-clock.js';
import type { WebApiObserver } from './web-api-observer.js';

/**
 * Options for every WebClient of the bot (Bolt's, listeners', the background one): all share one pacer, so
 * all draw from the same per-method budgets. Retries here are for network errors and 5xx only; 429s never
 * reach WebClient (see pacer.ts).
 */
export function webClientOptions(config: Config, pacer: WebApiPacer): WebClientOptions {
  return {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    fetch: pacer.fetch,
    timeout: 0,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2_000 },
  };
}

export function createPacerFor(
  config: Config,
  logger: Logger,
  opts: { clock?: PacerClock; observer?: WebApiObserver; baseFetch?: typeof fetch } = {},
): WebApiPacer {
  return createWebApiPacer({
    ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
    clock: opts.clock ?? realPacerClock,
    logger: logger.child({ component: 'slack-web-api' }),
    ...(opts.observer ? { observer: opts.observer } : {}),
    ...(opts.baseFetch ? { baseFetch: opts.baseFetch } : {}),
  });
}

/**
 * The client for background work (directory loads, their retries): a queue of its own, so that however long
 * it waits it never holds back acks, previews, approvals or notifications, which use Bolt's client.
 */
export function createBackgroundClient(config: Config, pacer: WebApiPacer): WebClient {
  return new webApi.WebClient(config.slack.botToken, {
    ...webClientOptions(config, pacer),
    maxRequestConcurrency: 4,
    logLevel: webApi.LogLevel.ERROR,
  });
}
