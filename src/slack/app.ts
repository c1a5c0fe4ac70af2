import type { AnyMiddlewareArgs, CustomRoute, Middleware, Receiver, RespondFn } from '@slack/bolt';
import { isAppError } from '../membership/errors.js';
import { afterAcks } from '../util/acks-first.js';
import { toBoltLogger } from './bolt-logger.js';
import { App } from './bolt-runtime.js';
import type { SlackContext } from './context.js';
import { createHomeTab } from './home/home-tab.js';
import { HardenedHttpReceiver } from './http/hardened-http-receiver.js';
import { boundPort } from './http/hardened-server.js';
import { registerListeners } from './listeners/register.js';
import { type OwnOrganization, refuseOtherOrganizations } from './organization-guard.js';
import { createSlackDirectory, type SlackDirectory } from './people/slack-directory.js';
import type { DirectorySnapshotStore } from './people/snapshot/snapshot-store.js';
import { RepeatedDelivery } from './repeated-delivery.js';
import { respondWithError } from './respond-error.js';
import { type ConnectionState, createConnectionState } from './socket/connection-state.js';
import { SocketModeConnections } from './socket/socket-mode-receiver.js';
import { createSocketUrlSource } from './socket/socket-url-source.js';
import { type PacerClock, realPacerClock } from './web-api/pacer-clock.js';
import { createResponseUrlUses } from './web-api/response-url-uses.js';
import type { WebApiObserver } from './web-api/web-api-observer.js';
import { createBackgroundClient, createPacerFor, webClientOptions } from './web-api/web-clients.js';
import { createWorkTracker } from './work-tracker.js';

/** What the composition root hands in: the core services; the app adds the Slack-side parts of the context. */
export type SlackAppDeps = Omit<SlackContext, 'directory' | 'work' | 'client' | 'home' | 'responseUrls'> & {
  /** `/healthz`, `/readyz`: served on PORT (and HOST) in both modes, next to the receiver. */
  routes: CustomRoute[];
  /** Below the pacer, for every Web API request sent (metrics count them by method and status). */
  webApiFetch?: typeof fetch;
  /** Tests pass bot ids so that Bolt does not call `auth.test` (see reference §0.3). */
  botIdentity?: { botId: string; botUserId: string };
  /** Background refresh of the Slack directory snapshot. */
  directoryRefreshMs?: number;
  /** How long a user group's members are reused (owners, mentions); at most 60 s (SPEC §4.8). Tests shorten it. */
  usergroupTtlMs?: number;
  /** Time for rate-limit waits and Socket Mode back-offs (tests move it by hand). */
  pacerClock?: PacerClock;
  /** Metrics of Web API calls, 429s and waits (the operations side's counters). */
  webApiObserver?: WebApiObserver;
  /** Socket Mode liveness pings (tests shorten it). */
  socketPingIntervalMs?: number;
  /** Socket Mode: time without any connection after which the bot says it is not ready (tests shorten it). */
  socketReadyLimitMs?: number;
  /** Where the Slack directory survives restarts (beside the store); memory only when absent. */
  directorySnapshots?: DirectorySnapshotStore;
};

export type SlackApp = {
  app: App;
  context: SlackContext;
  /** Socket Mode: open connections and time without one (for /healthz and readiness). */
  connection: ConnectionState;
  /** Starts listening (HTTP mode: resolves with the bound port) and the background jobs. */
  start(): Promise<{ port?: number }>;
  /** No new work; in-flight work finished (up to `timeoutMs`); connections closed. */
  stop(timeoutMs?: number): Promise<void>;
};

/**
 * Builds the Bolt app: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP mode with
 * `POST /slack/events`; the health routes in both.
 */
export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const { config, logger } = deps;
  const work = createWorkTracker();
  const socketMode = config.slack.appToken !== undefined;
  const connection = createConnectionState(
    socketMode ? 'socket' : 'http',
    deps.socketReadyLimitMs ? { readyLimitMs: deps.socketReadyLimitMs } : {},
  );
  const clock = deps.pacerClock ?? realPacerClock;
  const pacer = createPacerFor(config, logger, {
    clock,
    ...(deps.webApiObserver ? { observer: deps.webApiObserver } : {}),
    ...(deps.webApiFetch ? { baseFetch: deps.webApiFetch } : {}),
  });
  const responseUrls = createResponseUrlUses(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {});
  const boltLogger = toBoltLogger(logger.child({ component: 'bolt' }), config.logLevel);
  const listen = { port: config.slack.port, ...(config.slack.host ? { host: config.slack.host } : {}) };
  const { routes } = deps;
  const receiver: Receiver = config.slack.appToken
    ? new SocketModeConnections({
        urls: createSocketUrlSource({
          appToken: config.slack.appToken,
          ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
          logger: logger.child({ component: 'socket-mode' }),
          clock,
        }),
        state: connection,
        logger: logger.child({ component: 'socket-mode' }),
        clock,
        connections: config.slack.socketConnections,
        routes,
        listen,
        ...(deps.socketPingIntervalMs ? { pingIntervalMs: deps.socketPingIntervalMs } : {}),
      })
    : new HardenedHttpReceiver({
        signingSecret: config.slack.signingSecret ?? '',
        routes,
        listen,
        logger: logger.child({ component: 'http' }),
        boltLogger,
      });
  const app = new App({
    token: config.slack.botToken,
    ...(deps.botIdentity ?? {}),
    deferInitialization: true,
    // Bolt's conversation state is never used here; its middleware would look each request's channel up in
    // memory and build (and catch) a "Conversation not found" error before every ack.
    convoStore: false,
    logger: boltLogger,
    receiver,
    // Bolt's `respond()` posts through this fetch too: each post to a response_url is counted there.
    clientOptions: { ...webClientOptions(config, pacer), fetch: responseUrls.counting(pacer.fetch) },
  });

  const directory: SlackDirectory = createSlackDirectory({
    client: app.client,
    backgroundClient: createBackgroundClient(config, pacer),
    ...(deps.directorySnapshots ? { snapshots: deps.directorySnapshots } : {}),
    ...(deps.directoryRefreshMs ? { refreshIntervalMs: deps.directoryRefreshMs } : {}),
    usergroupTtlMs: Math.min(deps.usergroupTtlMs ?? 60_000, 60_000),
    logger: logger.child({ component: 'directory' }),
  });
  const context: SlackContext = {
    config,
    logger,
    clock: deps.clock,
    store: deps.store,
    membership: deps.membership,
    identity: deps.identity,
    changes: deps.changes,
    owners: deps.owners,
    directory,
    work,
    responseUrls,
    client: app.client,
    home: createHomeTab(() => context),
  };

  let own: OwnOrganization = {};
  app.use(refuseOtherOrganizations(() => own, logger));
  claimDeliveriesAfterAck(app, context);
  app.use(trackAndDeduplicate(context));
  registerListeners(app, context);
  app.error(async (error) => {
    logger.error('unhandled Slack listener error', { error });
  });

  let started = false;
  return {
    app,
    context,
    connection,
    async start() {
      // Bolt's auth.test and ours go out together: a start waits for one Slack round trip, not two.
      const [, organization] = await Promise.all([app.init(), ownOrganization(app, logger)]);
      own = organization;
      // The saved directory first: the first command after a restart must find it.
      await directory.start();
      const server = (await app.start()) as unknown;
      started = true;
      const port = isServer(server) ? boundPort(server) : undefined;
      return port === undefined ? {} : { port };
    },
    async stop(timeoutMs = 30_000) {
      if (receiver instanceof SocketModeConnections) await receiver.stopReceiving();
      await context.home.stop();
      const drained = await work.drain(timeoutMs);
      if (!drained) logger.warn('stopped with work still in flight', { inFlight: work.size });
      await directory.stop();
      if (started) {
        started = false;
        await app.stop().catch((error: unknown) => logger.warn('error while stopping Slack app', { error }));
      }
    },
  };
}

/** The app's own workspace and enterprise, from `auth.test` (also in tests, where Bolt skips it). */
async function ownOrganization(app: App, logger: SlackAppDeps['logger']): Promise<OwnOrganization> {
  const me = await app.client.auth.test();
  const teamId = typeof me.team_id === 'string' && me.team_id !== '' ? me.team_id : undefined;
  const enterpriseId =
    typeof me.enterprise_id === 'string' && me.enterprise_id !== '' ? me.enterprise_id : undefined;
  if (!teamId) logger.warn('auth.test named no team: people of other organizations cannot be told apart');
  return { ...(teamId ? { teamId } : {}), ...(enterpriseId ? { enterpriseId } : {}) };
}

function isServer(value: unknown): value is import('node:http').Server {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { address?: unknown }).address === 'function'
  );
}

/** How long a delivery key is kept: well past Slack's retries (three, within minutes). */
const DELIVERY_KEY_TTL_MS = 60 * 60_000;

/**
 * Duplicate protection without a store round trip on the ack path: as a request comes in, its delivery
 * key is claimed in the store (in memory for the file store, an INSERT for PostgreSQL) without waiting;
 * the listener's `ack()` acknowledges Slack first and only then waits for the claim. A delivery whose key
 * was claimed already (a Slack retry, a replay, the same request on another replica) stops there with
 * `RepeatedDelivery`, before any work. Every listener acknowledges before its work (the 3-second rule),
 * so the work always comes after the claim. Wrapping `processEvent` covers both receivers (HTTP, Socket
 * Mode): a Bolt middleware cannot replace the `ack` that the listeners get.
 */
function claimDeliveriesAfterAck(app: App, context: SlackContext): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event) => {
    const key = deliveryKey(event.body as Record<string, unknown>);
    if (!key || !context.work.accepting) return processEvent(event);
    // With the store down the delivery cannot be checked: it goes ahead (a repeat then does its work
    // twice at worst, and work that needs the store fails with "storage is unavailable"), so `help` and
    // every answer that needs no storage still come.
    const claimed = context.store.claimKey(key, DELIVERY_KEY_TTL_MS).catch((error: unknown) => {
      context.logger.warn('could not check for a repeated Slack delivery: the store failed', { key, error });
      return true;
    });
    const ack: typeof event.ack = async (response) => {
      await event.ack(response);
      if (!(await claimed)) throw new RepeatedDelivery(key);
      // The listener's work after its ack waits for the acks of the requests that arrived meanwhile.
      await afterAcks();
    };
    return processEvent({ ...event, ack });
  };
}

/**
 * Runs first for every request: refuses new work while stopping, counts in-flight work for a graceful
 * stop, ends a repeated delivery quietly (see `claimDeliveriesAfterAck`), and answers a storage failure
 * that no listener answered with the "storage is unavailable" sentence.
 */
function trackAndDeduplicate(context: SlackContext): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { next } = args;
    const ack = 'ack' in args ? (args.ack as (response?: unknown) => Promise<void>) : undefined;
    if (!context.work.accepting) {
      await ack?.().catch(() => undefined);
      return;
    }
    try {
      await context.work.track(next());
    } catch (error) {
      if (error instanceof RepeatedDelivery) {
        context.logger.info('repeated Slack delivery ignored', { key: error.key });
        return;
      }
      const respond = 'respond' in args ? (args.respond as RespondFn | undefined) : undefined;
      if (isAppError(error) && error.code === 'store_unavailable' && respond) {
        await respondWithError(context, respond, error);
        return;
      }
      throw error;
    }
  };
}

/**
 * Each command invocation, click and submission carries its own trigger_id; an Events API callback its
 * event_id (the same on Slack's redeliveries); option loads need none.
 */
function deliveryKey(body: Record<string, unknown>): string | undefined {
  if (body.type === 'block_suggestion') return undefined;
  if (body.type === 'event_callback' && typeof body.event_id === 'string')
    return `slack:event:${body.event_id}`;
  const trigger = typeof body.trigger_id === 'string' ? body.trigger_id : undefined;
  if (!trigger) return undefined;
  const kind = typeof body.command === 'string' ? 'command' : String(body.type ?? 'event');
  return `slack:${kind}:${trigger}`;
}
