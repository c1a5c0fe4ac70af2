import { listUsersPage, MAX_PAGES, type UsersListClient } from './load-workspace-users.js';
import { slackErrorCode } from './slack-people-error.js';
import type { CompleteSnapshot, DirectorySnapshotStore, RefreshProgress } from './snapshot/snapshot-store.js';

type Log = {
  info?(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
};

export type RefresherDeps = {
  client: UsersListClient;
  snapshots: DirectorySnapshotStore;
  /** This process, for the refresh lease. */
  owner: string;
  refreshIntervalMs: number;
  /** How often a replica checks whether another one saved a newer snapshot (one cheap read). */
  followIntervalMs: number;
  now: () => number;
  logger?: Log;
  /** A complete snapshot to use: loaded at start, saved by this process, or by another replica. */
  onSnapshot(snapshot: CompleteSnapshot): void;
  /** A refresh failed (not a rate limit: those are waited out below). */
  onFailure(error: unknown): void;
};

/** An unfinished refresh older than this starts over: its first pages are too stale to finish it with. */
const MAX_RESUME_AGE_MS = 24 * 60 * 60_000;
/** The lease outlives the slowest page by far (Tier 2 with Retry-After waits); it is renewed every page. */
const LEASE_TTL_MS = 5 * 60_000;
/** How long a stop waits for a refresh in flight. */
const STOP_GRACE_MS = 2_000;
const FAILURE_BACKOFF_MS = [5_000, 15_000, 30_000, 60_000, 120_000];

/**
 * Keeps the saved directory fresh, in the background, with its own Web API client. One page at a time
 * goes to the snapshot store, so a 429 (waited out by the pacer) or a restart resumes from the last cursor
 * instead of starting over. With several replicas only the holder of the lease calls users.list; every
 * replica loads the snapshot when its version changes.
 */
export function createDirectoryRefresher(deps: RefresherDeps) {
  const { snapshots, logger: log } = deps;
  let version: string | null = null;
  let loadedAt: number | null = null;
  let running = false;
  let inFlight: Promise<void> | null = null;
  let wake: (() => void) | undefined;
  let forced = false;
  let failures = 0;

  async function adopt(): Promise<void> {
    const snapshot = await snapshots.readComplete();
    if (!snapshot || snapshot.version === version) return;
    version = snapshot.version;
    loadedAt = snapshot.loadedAt;
    deps.onSnapshot(snapshot);
  }

  async function startOrResume(): Promise<RefreshProgress> {
    const progress = await snapshots.readProgress();
    if (progress && deps.now() - progress.startedAt < MAX_RESUME_AGE_MS) {
      if (progress.pages > 0) {
        log?.info?.('resuming the Slack directory refresh from its cursor', { pages: progress.pages });
      }
      return progress;
    }
    return snapshots.beginRefresh(deps.now());
  }

  /** One whole refresh, if this process holds the lease; resolves once the snapshot is saved and adopted. */
  async function refreshOnce(): Promise<void> {
    if (!(await snapshots.tryLease(deps.owner, LEASE_TTL_MS))) return;
    let progress = await startOrResume();
    let { cursor, pages } = progress;
    while (pages === 0 || cursor !== '') {
      let page: Awaited<ReturnType<typeof listUsersPage>>;
      try {
        page = await listUsersPage(deps.client, cursor);
      } catch (error) {
        // Slack's cursors do not last forever: an old one means starting the listing again.
        if (slackErrorCode(error) !== 'invalid_cursor' || pages === 0) throw error;
        log?.warn('the saved users.list cursor expired; listing the directory again');
        progress = await snapshots.beginRefresh(deps.now());
        ({ cursor, pages } = progress);
        continue;
      }
      await snapshots.appendPage(progress.refreshId, page.profiles, page.nextCursor);
      cursor = page.nextCursor;
      pages += 1;
      if (pages >= MAX_PAGES) break;
      if (!(await snapshots.tryLease(deps.owner, LEASE_TTL_MS))) return;
    }
    await snapshots.completeRefresh(progress.refreshId, deps.now());
    log?.debug('slack directory saved', { pages });
    await adopt();
  }

  function refreshNow(): Promise<void> {
    if (!inFlight) {
      inFlight = refreshOnce().finally(() => {
        inFlight = null;
      });
    }
    return inFlight;
  }

  async function due(): Promise<boolean> {
    if (forced || loadedAt === null) return true;
    if (deps.now() - loadedAt >= deps.refreshIntervalMs) return true;
    // Another replica stopped half-way (its lease runs out): whoever gets the lease finishes it.
    return (await snapshots.readProgress()) !== null;
  }

  async function tick(): Promise<void> {
    try {
      const current = await snapshots.completeVersion();
      if (current !== null && current !== version) await adopt();
      if (await due()) {
        forced = false;
        await refreshNow();
      }
      failures = 0;
    } catch (error) {
      failures += 1;
      log?.warn('slack directory refresh failed; trying again later', {
        slackError: slackErrorCode(error),
        error,
        failures,
      });
      deps.onFailure(error);
    }
  }

  async function loop(): Promise<void> {
    while (running) {
      await tick();
      if (!running) break;
      const pause =
        failures > 0
          ? (FAILURE_BACKOFF_MS[Math.min(failures, FAILURE_BACKOFF_MS.length) - 1] ?? 0)
          : deps.followIntervalMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        timer.unref();
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  }

  return {
    /** Loads the saved snapshot (so the first command after a restart needs no Slack call), then keeps it fresh. */
    async start(): Promise<void> {
      if (running) return;
      running = true;
      try {
        await adopt();
      } catch (error) {
        log?.warn('the saved Slack directory could not be read; listing it again', { error });
      }
      void loop();
    },
    /**
     * Stops the loop. A refresh in flight gets a moment to save its page; one waiting out a long rate limit is
     * left behind: its pages are saved, and the next start resumes from its cursor.
     */
    async stop(): Promise<void> {
      running = false;
      wake?.();
      if (!inFlight) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        inFlight.catch(() => undefined),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, STOP_GRACE_MS);
        }),
      ]);
      clearTimeout(timer);
    },
    /** A refresh now (sharing one in progress); rejects if it fails. */
    refresh: refreshNow,
    /** Ask the background loop for a refresh soon (new people keep appearing). */
    requestRefresh(): void {
      forced = true;
      wake?.();
    },
    loadedAt: () => loadedAt,
  };
}
