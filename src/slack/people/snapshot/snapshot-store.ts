import type { SlackProfile } from '../slack-profile.js';

/** A complete listing of the workspace, as one refresh saved it. */
export type CompleteSnapshot = { version: string; loadedAt: number; profiles: SlackProfile[] };

/** A refresh under way (possibly left by a process that stopped): where its next page starts. */
export type RefreshProgress = { refreshId: string; startedAt: number; cursor: string; pages: number };

/**
 * Where the Slack directory is kept between restarts, apart from the live store: a refresh writes one
 * users.list page at a time (each write bounded by a page, never the whole directory), so it can resume
 * from its cursor after a 429 or a restart, and only the last step makes it the snapshot everyone reads.
 */
export interface DirectorySnapshotStore {
  readComplete(): Promise<CompleteSnapshot | null>;
  /** Cheap: which snapshot is current, so replicas notice another one's refresh. */
  completeVersion(): Promise<string | null>;
  readProgress(): Promise<RefreshProgress | null>;
  /** Starts a new refresh, discarding any unfinished one. */
  beginRefresh(startedAt: number): Promise<RefreshProgress>;
  /** Saves one page; `nextCursor` is '' after the last page. */
  appendPage(refreshId: string, profiles: readonly SlackProfile[], nextCursor: string): Promise<void>;
  /** The refresh becomes the snapshot (and the previous one is dropped). */
  completeRefresh(refreshId: string, loadedAt: number): Promise<string>;
  /**
   * Whether this process may refresh now: takes or renews a lease of `ttlMs` for `owner`. With several
   * replicas one holds it and spends the workspace's users.list budget; the others read what it saves.
   */
  tryLease(owner: string, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Kept in memory only (tests, and a directory built without a store): nothing survives a restart. */
export function createMemorySnapshotStore(): DirectorySnapshotStore {
  let complete: CompleteSnapshot | null = null;
  let progress: (RefreshProgress & { profiles: SlackProfile[] }) | null = null;
  let counter = 0;
  return {
    readComplete: async () => complete,
    completeVersion: async () => complete?.version ?? null,
    readProgress: async () =>
      progress
        ? {
            refreshId: progress.refreshId,
            startedAt: progress.startedAt,
            cursor: progress.cursor,
            pages: progress.pages,
          }
        : null,
    async beginRefresh(startedAt) {
      progress = { refreshId: `r${++counter}`, startedAt, cursor: '', pages: 0, profiles: [] };
      return { refreshId: progress.refreshId, startedAt, cursor: '', pages: 0 };
    },
    async appendPage(refreshId, profiles, nextCursor) {
      if (progress?.refreshId !== refreshId) throw new Error('directory refresh superseded');
      progress.profiles.push(...profiles);
      progress.cursor = nextCursor;
      progress.pages += 1;
    },
    async completeRefresh(refreshId, loadedAt) {
      if (progress?.refreshId !== refreshId) throw new Error('directory refresh superseded');
      complete = { version: refreshId, loadedAt, profiles: dedupeById(progress.profiles) };
      progress = null;
      return refreshId;
    },
    tryLease: async () => true,
    close: async () => {},
  };
}

/** A page saved twice (a resume after a torn write) must not list anyone twice. */
export function dedupeById(profiles: readonly SlackProfile[]): SlackProfile[] {
  const byId = new Map<string, SlackProfile>();
  for (const p of profiles) byId.set(p.id, p);
  return [...byId.values()];
}
