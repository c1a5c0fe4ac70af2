/**
 * The Slack Web API pacer's observer (`src/slack/web-api/web-api-observer.ts`), restated by shape so that
 * the metrics do not depend on the Slack adapter: what the pacer waited and which 429s it absorbed.
 */
export type WebApiWaits = {
  called(method: string, outcome: 'ok' | 'error'): void;
  rateLimited(method: string, retryAfterSeconds: number): void;
  waited(method: string, ms: number, why: 'pace' | 'retry_after'): void;
};
