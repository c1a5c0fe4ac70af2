import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createChangeService, newChangeId } from './approvals/change-service.js';
import { createOwnerService } from './approvals/owners/owner-service.js';
import { type Clock, type Store, systemClock } from './approvals/ports.js';
import type { Config } from './config/config.js';
import { createKantataClient, createKantataGateway } from './kantata/index.js';
import type { Logger } from './logging/logger.js';
import { createIdentityService } from './membership/identity.js';
import { createMembershipService } from './membership/membership-service.js';
import { createOperations, type OperationsOptions } from './operations/operations.js';
import { startAnnouncementRelay } from './slack/announce/relay.js';
import { startTakeovers } from './slack/announce/takeover-job.js';
import { createSlackApp, type SlackApp } from './slack/app.js';
import { startApprovalJobs } from './slack/approvals/approval-jobs.js';
import { startExpiryJobs } from './slack/expiry/expiry-jobs.js';
import { openSnapshotStore } from './slack/people/snapshot/open-snapshot-store.js';
import { startStandingSyncJobs } from './slack/sync/standing-sync-jobs.js';
import type { PacerClock } from './slack/web-api/pacer-clock.js';
import type { WebApiObserver } from './slack/web-api/web-api-observer.js';
import { openStore, parseStoreUrl } from './store/open-store.js';
import { runMigrations } from './store/postgres/migrations.js';

export type BotOptions = {
  clock?: Clock;
  /** Skips Bolt's `auth.test` at start (tests). */
  botIdentity?: { botId: string; botUserId: string };
  /** Deadline of one Kantata request. */
  kantataTimeoutMs?: number;
  kantataRetryBaseMs?: number;
  /** How often background jobs (expiry, notification retries) run. */
  jobsIntervalMs?: number;
  directoryRefreshMs?: number;
  /** How long a Slack user group's members are reused (at most 60 s). */
  usergroupTtlMs?: number;
  /** Time for Slack rate-limit waits and Socket Mode back-offs (tests move it by hand). */
  pacerClock?: PacerClock;
  /** Counters for Slack Web API calls, 429s and waits (metrics). */
  webApiObserver?: WebApiObserver;
  /** Socket Mode liveness pings; default 5 s. */
  socketPingIntervalMs?: number;
  /** Socket Mode: time without a connection before `/readyz` says not ready; default 10 s. */
  socketReadyLimitMs?: number;
  /** Use this store instead of opening STORE_URL (tests that share one). */
  store?: Store;
  /** Readiness tuning (tests). */
  operations?: OperationsOptions;
};

export type Bot = {
  slack: SlackApp;
  store: Store;
  /** HTTP mode: the bound port. */
  port?: number;
  /** With METRICS_PORT: the port `GET /metrics` is served on. */
  metricsPort?: number;
  stop(): Promise<void>;
};

/**
 * Builds and starts everything: store → Kantata → core services → Slack app → recovery → jobs.
 * Refuses to start (throws with a clear message) when the store cannot be opened or the Kantata
 * token does not belong to an active account administrator (SPEC §2).
 */
export async function startBot(config: Config, logger: Logger, options: BotOptions = {}): Promise<Bot> {
  const clock = options.clock ?? systemClock;
  const operations = await createOperations(config, options.operations);
  const openedStore =
    options.store ??
    (await openStore(config.storeUrl, {
      clock,
      log: logger.child({ component: 'store' }),
      previewTtlMs: config.previewTtlMs,
      lockLeaseMs: config.storeLockLeaseMs,
      // Another process holds the store now: writing on would corrupt it, so this one stops at once.
      onLockLost: (error) => {
        logger.error(`${error.message} Exiting; restart the bot once the other process is stopped.`);
        process.exit(1);
      },
    }));
  const store = operations.instrumentStore(openedStore);
  const kantataClient = createKantataClient({
    baseUrl: config.kantata.baseUrl,
    token: config.kantata.apiToken,
    concurrency: config.kantata.concurrency,
    ...(options.kantataTimeoutMs ? { timeoutMs: options.kantataTimeoutMs } : {}),
    ...(options.kantataRetryBaseMs ? { retryBaseMs: options.kantataRetryBaseMs } : {}),
    logger: logger.child({ component: 'kantata' }),
    observer: operations.kantataObserver,
  });
  // Beside the store, never inside it: the directory's pages would otherwise weigh on every store commit.
  const directoryLog = logger.child({ component: 'directory' });
  const directorySnapshots = await openSnapshotStore(parseStoreUrl(config.storeUrl), {
    log: directoryLog,
    // Opening the store has just brought the schema (the directory's tables included) up to date; a store
    // handed in (tests) may not have.
    migrate: options.store ? (pool) => runMigrations(pool, directoryLog) : async () => undefined,
  });
  const closeAdapters = async () => {
    await directorySnapshots.close().catch(() => undefined);
    await kantataClient.close().catch(() => undefined);
    if (!options.store) await store.close().catch(() => undefined);
  };
  // What has started so far, stopped again if a later step of the start throws (a METRICS_PORT already in
  // use must not leave the Slack app listening and the store locked).
  const started: (() => Promise<void> | void)[] = [];
  try {
    const kantata = createKantataGateway(kantataClient);
    operations.setKantataProbe(() => kantata.getMe());
    const now = () => clock.now().getTime();
    const membership = createMembershipService({
      kantata,
      maxPeoplePerChange: config.maxPeoplePerChange,
      now,
    });
    const botUser = await membership.checkBotIsAdministrator();
    logger.info('Kantata token checked: it belongs to an active account administrator', {
      kantataUserId: botUser.id,
    });
    const identity = createIdentityService({
      kantata,
      links: store,
      emailDomains: config.identityEmailDomains,
      now,
      // Audit rows of links get ids like those of changes.
      newId: newChangeId,
    });
    // Owner groups are Slack user groups: their members come from the Slack directory, built with the app
    // below (looked up late), through its cache of at most 60 s (SPEC §4.8).
    let slackApp: SlackApp | undefined;
    const owners = createOwnerService({
      store,
      directory: {
        membersOf: async (usergroupId) => {
          if (!slackApp) throw new Error('the Slack directory is not ready yet');
          return slackApp.context.directory.expandUsergroup(usergroupId);
        },
      },
      ownersMay: config.ownersMay,
      clock,
      newId: newChangeId,
      onLookupFailure: (usergroupId, error) =>
        logger.warn('could not read the members of an owner user group; they are not owners for now', {
          usergroupId,
          error,
        }),
    });
    const changes = createChangeService({
      owners,
      membership,
      store,
      clock,
      policy: config.approvalPolicy,
      requestTtlMs: config.requestTtlMs,
      undoWindowMs: config.undoWindowMs,
      ...(operations.results ? { results: operations.results } : {}),
      owner: processOwnerId(),
      leaseMs: config.changeLeaseMs,
      maxMembershipMs: config.maxMembershipMs,
      expiryReminderMs: config.expiryReminderMs,
      syncIntervalMs: config.syncIntervalMs,
      syncMaxRemovals: config.syncMaxRemovals,
    });
    // The Slack app is built after its routes, yet readiness asks it about its socket: looked up late.
    const slack: SlackApp = createSlackApp({
      config,
      logger,
      clock,
      store,
      membership,
      identity,
      changes,
      owners,
      ...(options.botIdentity ? { botIdentity: options.botIdentity } : {}),
      ...(options.directoryRefreshMs ? { directoryRefreshMs: options.directoryRefreshMs } : {}),
      ...(options.usergroupTtlMs ? { usergroupTtlMs: options.usergroupTtlMs } : {}),
      ...(options.pacerClock ? { pacerClock: options.pacerClock } : {}),
      directorySnapshots,
      ...(options.socketPingIntervalMs ? { socketPingIntervalMs: options.socketPingIntervalMs } : {}),
      ...(options.socketReadyLimitMs ? { socketReadyLimitMs: options.socketReadyLimitMs } : {}),
      ...operations.webApiSeams(options.webApiObserver),
      routes: operations.routes({
        store,
        ...(config.slack.appToken ? { slackReady: () => slackApp?.connection.report() } : {}),
      }),
    });
    slackApp = slack;
    const { port } = await slack.start();
    started.push(() => slack.stop(config.shutdownTimeoutMs));
    const metricsServer = await operations.startMetrics({
      workInFlight: () => slack.context.work.size,
      socketConnections: () => slack.connection.report().openConnections,
    });
    if (metricsServer) {
      started.push(() => metricsServer.close());
      logger.info('metrics served', { port: metricsServer.port, path: '/metrics' });
    }
    logger.info('Kantata Groups for Slack is running', {
      mode: config.slack.appToken ? 'socket' : 'http',
      ...(port ? { port } : {}),
    });

    // Changes whose owner is gone (a crash, a stop, a lapsed lease) are finished now and then whenever
    // a lease lapses, and announced like any other (SPEC §8). A change another replica is still applying
    // keeps its owner: a rolling deploy applies nothing twice.
    const takeovers = startTakeovers(slack.context, {
      intervalMs: Math.max(
        50,
        Math.min(options.jobsIntervalMs ?? 30_000, Math.floor(config.changeLeaseMs / 2)),
      ),
    });
    started.push(() => takeovers.stop());
    await takeovers.firstRun;
    const intervalMs = options.jobsIntervalMs ?? 30_000;
    const stopApprovalJobs = startApprovalJobs(slack.context, { intervalMs });
    const stopAnnouncementRelay = startAnnouncementRelay(slack.context, { intervalMs });
    const expiryJobs = startExpiryJobs(slack.context, { intervalMs });
    const standingSyncJobs = startStandingSyncJobs(slack.context, { intervalMs });

    return {
      slack,
      store,
      ...(port ? { port } : {}),
      ...(metricsServer ? { metricsPort: metricsServer.port } : {}),
      async stop() {
        takeovers.stop();
        stopApprovalJobs();
        stopAnnouncementRelay();
        expiryJobs.stop();
        standingSyncJobs.stop();
        await slack.stop(config.shutdownTimeoutMs);
        await metricsServer?.close();
        await closeAdapters();
      },
    };
  } catch (error) {
    for (const stop of started.reverse()) await Promise.resolve(stop()).catch(() => undefined);
    await closeAdapters();
    throw error;
  }
}

/** This process as the owner of the changes it applies: host, pid and a random part (pids are reused). */
function processOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}
