import type { Store } from '../approvals/ports.js';
import type { Config } from '../config/config.js';
import { type HealthRoute, healthRoutes } from './health-routes.js';
import { createKantataAnswers, type KantataAnswersOptions } from './kantata-answers.js';
import type { KantataObserver } from './kantata-observer.js';
import { type BotMetrics, createMetrics, type LiveGauges } from './metrics.js';
import { type MetricsServer, startMetricsServer } from './metrics-server.js';
import { createReadiness, type ReadinessCheck } from './readiness.js';
import { observedFetch } from './slack-fetch.js';
import { storeWriteCheck } from './store-writable.js';
import { withCommitTiming } from './timed-store.js';
import type { WebApiWaits } from './web-api-waits.js';

export type OperationsOptions = {
  /** How long a Kantata answer counts as recent (tests shorten it). */
  kantataFreshMs?: number;
};

/**
 * Health, readiness and metrics, built before the adapters so that each adapter gets its seam (the
 * Kantata client's observer, the Web API client's fetch, the timed store) and started once the bot runs.
 */
export async function createOperations(config: Config, options: OperationsOptions = {}) {
  const metrics: BotMetrics | undefined =
    config.metricsPort === undefined ? undefined : await createMetrics();
  let probeKantata: KantataAnswersOptions['probe'] = async () => {
    throw new Error('Kantata is not wired yet');
  };
  const kantataAnswers = createKantataAnswers({
    probe: () => probeKantata(),
    ...(options.kantataFreshMs === undefined ? {} : { freshMs: options.kantataFreshMs }),
  });
  const kantataObserver: KantataObserver = {
    attempted(call) {
      kantataAnswers.attempted(call.status);
      metrics?.kantata.attempted(call);
    },
    retryWait(wait) {
      metrics?.kantata.retryWait(wait);
    },
  };

  return {
    kantataObserver,
    ...(metrics ? { results: metrics.results } : {}),
    /** The store `/readyz` probes and, with metrics on, whose writes are timed. */
    instrumentStore: <S extends Store>(store: S): S =>
      metrics ? withCommitTiming(store, metrics.storeCommit) : store,
    /** The request readiness sends when Kantata has been quiet (the gateway's `getMe`). */
    setKantataProbe(probe: KantataAnswersOptions['probe']) {
      probeKantata = probe;
    },
    /**
     * Socket Mode adds `slack`: the Slack side's connection report (ready unless there has been no
     * connection for a while; undefined before the app exists).
     */
    routes(parts: { store: Store; slackReady?: () => { ready: boolean } | undefined }): HealthRoute[] {
      const checks: Record<string, ReadinessCheck> = {
        store: storeWriteCheck(parts.store),
        kantata: () => kantataAnswers.isAnswering(),
      };
      const slackReady = parts.slackReady;
      if (slackReady) checks.slack = async () => slackReady()?.ready === true;
      return healthRoutes(createReadiness(checks));
    },
    /**
     * The Slack app's metric seams: below the pacer, every HTTP request sent (method, status, latency);
     * in the pacer's observer, the waits it imposes and the 429s it absorbed. `also`: a test's observer.
     */
    webApiSeams(also?: WebApiWaits): { webApiFetch?: typeof fetch; webApiObserver?: WebApiWaits } {
      if (!metrics) return also ? { webApiObserver: also } : {};
      const own = metrics.slackWaits;
      return {
        webApiFetch: observedFetch(metrics.slackCall) as typeof fetch,
        webApiObserver: also
          ? {
              called(method, outcome) {
                own.called(method, outcome);
                also.called(method, outcome);
              },
              rateLimited(method, seconds) {
                own.rateLimited(method, seconds);
                also.rateLimited(method, seconds);
              },
              waited(method, ms, why) {
                own.waited(method, ms, why);
                also.waited(method, ms, why);
              },
            }
          : own,
      };
    },
    /** Starts `GET /metrics` on METRICS_PORT (when set) with the gauges of the running bot. */
    async startMetrics(gauges: LiveGauges): Promise<MetricsServer | undefined> {
      if (!metrics || config.metricsPort === undefined) return undefined;
      metrics.watch(gauges);
      return startMetricsServer(metrics, {
        port: config.metricsPort,
        ...(config.slack.host ? { host: config.slack.host } : {}),
      });
    },
  };
}
