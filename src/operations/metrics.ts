import type * as Prometheus from 'prom-client';
import type { ChangeResults } from '../approvals/ports.js';
import type { KantataObserver } from './kantata-observer.js';
import type { SlackCall } from './slack-fetch.js';
import type { WebApiWaits } from './web-api-waits.js';

/** What the running bot lends the metrics at collection time (it exists only after the Slack app is built). */
export type LiveGauges = {
  workInFlight?: () => number;
  /** Socket Mode: connections open now. */
  socketConnections?: () => number;
};

/** The seams the metrics plug into; each one records into prom-client and nothing else. */
export type BotMetrics = {
  kantata: KantataObserver;
  slackCall: (call: SlackCall) => void;
  slackWaits: WebApiWaits;
  results: ChangeResults;
  storeCommit: (operation: string, ms: number) => void;
  /** Attaches the gauges read at scrape time. */
  watch(gauges: LiveGauges): void;
  render(): Promise<{ contentType: string; body: string }>;
};

/** The pacer names methods from the URL; anything that is not a method name stays out of the labels. */
function knownMethod(method: string): string {
  return /^[a-z]+(\.[a-zA-Z]+)+$/.test(method) ? method : 'other';
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const WAIT_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];

/**
 * The Prometheus metrics, in a registry of their own (several bots can run in one test process). Every
 * label value comes from a closed set or a normalised route: actions, outcomes, HTTP statuses, Slack and
 * Kantata method names; never a name, an email, an id or a token. prom-client is loaded only when metrics
 * are turned on, so a bot without METRICS_PORT pays nothing for them at start.
 */
export async function createMetrics(): Promise<BotMetrics> {
  const client: typeof Prometheus = await import('prom-client');
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const changes = new client.Counter({
    name: 'groups_changes_total',
    help: 'Changes that reached their final status, by action (add/remove) and outcome.',
    labelNames: ['action', 'outcome'],
    registers,
  });
  const people = new client.Counter({
    name: 'groups_people_total',
    help: 'Person outcomes of finished changes (added, already_member, removed, not_member, failed).',
    labelNames: ['action', 'outcome'],
    registers,
  });
  const kantataRequests = new client.Counter({
    name: 'kantata_requests_total',
    help: 'Kantata API attempts by method, route and HTTP status (or timeout / network_error).',
    labelNames: ['method', 'route', 'status'],
    registers,
  });
  const kantataSeconds = new client.Histogram({
    name: 'kantata_request_duration_seconds',
    help: 'Kantata API attempt latency, from the moment the attempt had a concurrency slot.',
    labelNames: ['method', 'route'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const kantataWaits = new client.Histogram({
    name: 'kantata_retry_wait_seconds',
    help: 'Waits before retrying Kantata: rate_limited (429, Retry-After), unavailable (5xx), network.',
    labelNames: ['reason'],
    buckets: WAIT_BUCKETS,
    registers,
  });
  const slackRequests = new client.Counter({
    name: 'slack_api_requests_total',
    help: 'Slack Web API HTTP requests by method and HTTP status (429 = rate limited).',
    labelNames: ['method', 'status'],
    registers,
  });
  const slackSeconds = new client.Histogram({
    name: 'slack_api_request_duration_seconds',
    help: 'Slack Web API request latency by method.',
    labelNames: ['method'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const slackRetryAfter = new client.Histogram({
    name: 'slack_api_retry_after_seconds',
    help: "Slack's Retry-After on 429 answers, by method: how long calls were told to wait.",
    labelNames: ['method'],
    buckets: WAIT_BUCKETS,
    registers,
  });
  const slackPacerWaits = new client.Histogram({
    name: 'slack_api_wait_seconds',
    help: "Time calls waited in the pacer before being sent: reason pace (Slack's tier) or retry_after (a 429).",
    labelNames: ['method', 'reason'],
    buckets: WAIT_BUCKETS,
    registers,
  });
  const storeCommits = new client.Histogram({
    name: 'groups_store_commit_duration_seconds',
    help: 'Store writes by operation, until the store confirmed them (file written / row committed).',
    labelNames: ['operation'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  let gauges: LiveGauges = {};
  new client.Gauge({
    name: 'groups_work_in_flight',
    help: 'Slack requests and background work the bot is busy with now (drained on stop).',
    registers,
    collect() {
      this.set(gauges.workInFlight?.() ?? 0);
    },
  });
  new client.Gauge({
    name: 'slack_socket_connections',
    help: 'Socket Mode connections open now (0 in HTTP mode).',
    registers,
    collect() {
      this.set(gauges.socketConnections?.() ?? 0);
    },
  });

  return {
    kantata: {
      attempted({ method, route, status, ms }) {
        kantataRequests.inc({ method, route, status });
        kantataSeconds.observe({ method, route }, ms / 1000);
      },
      retryWait({ reason, ms }) {
        kantataWaits.observe({ reason }, ms / 1000);
      },
    },
    slackCall({ method, status, ms, retryAfterS }) {
      slackRequests.inc({ method, status });
      slackSeconds.observe({ method }, ms / 1000);
      if (retryAfterS !== undefined) slackRetryAfter.observe({ method }, retryAfterS);
    },
    slackWaits: {
      // Counted below the pacer, in `slackCall`, where every attempt's status and latency are seen.
      called: () => {},
      // Seen as `status="429"` and in slack_api_retry_after_seconds by `slackCall`.
      rateLimited: () => {},
      waited(method, ms, why) {
        slackPacerWaits.observe({ method: knownMethod(method), reason: why }, ms / 1000);
      },
    },
    results: {
      finished({ action, status, outcomes }) {
        changes.inc({ action, outcome: status });
        const counts = new Map<string, number>();
        for (const { outcome } of outcomes) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
        for (const [outcome, n] of counts) people.inc({ action, outcome }, n);
      },
    },
    storeCommit(operation, ms) {
      storeCommits.observe({ operation }, ms / 1000);
    },
    watch(next) {
      gauges = { ...gauges, ...next };
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
