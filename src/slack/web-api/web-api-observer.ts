/**
 * The one seam through which the Web API pacer reports what it does, for metrics (calls, 429s, time spent
 * waiting per method). The operations side plugs its counters in here; by default nothing is recorded.
 */
export type WebApiObserver = {
  called(method: string, outcome: 'ok' | 'error'): void;
  rateLimited(method: string, retryAfterSeconds: number): void;
  waited(method: string, ms: number, why: 'pace' | 'retry_after'): void;
};

export const noWebApiObserver: WebApiObserver = {
  called: () => {},
  rateLimited: () => {},
  waited: () => {},
};
