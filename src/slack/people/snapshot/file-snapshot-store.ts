import { randomBytes } from 'node:crypto';
import { open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeFolders } from '../../../util/make-folders.js';
import type { SlackProfile } from '../slack-profile.js';
import {
  type CompleteSnapshot,
  type DirectorySnapshotStore,
  dedupeById,
  type RefreshProgress,
} from './snapshot-store.js';

type Line =
  | { kind: 'header'; refreshId: string; startedAt: number }
  | { kind: 'page'; cursor: string; profiles: SlackProfile[] }
  | { kind: 'complete'; loadedAt: number };

/**
 * The embedded store's directory: two JSON-lines files next to the store file, never inside it (the live
 * store stays small and its commits cheap). `slack-directory.refresh.jsonl` grows by one line per users.list
 * page; when the last page is in, a closing line is appended, the file is flushed and renamed over
 * `slack-directory.jsonl` (atomic). A line torn by a crash is skipped on reading, so the refresh resumes
 * from the page before. One process per data directory, as for the embedded store itself: no lease needed.
 */
export function createFileSnapshotStore(dir: string): DirectorySnapshotStore {
  const snapshotPath = join(dir, 'slack-directory.jsonl');
  const refreshPath = join(dir, 'slack-directory.refresh.jsonl');
  let version: string | null | undefined;

  async function readLines(path: string): Promise<Line[] | null> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const lines: Line[] = [];
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      try {
        lines.push(JSON.parse(raw) as Line);
      } catch {
        // A line cut short by a crash: everything after it is ignored too.
        break;
      }
    }
    return lines;
  }

  return {
    async readComplete(): Promise<CompleteSnapshot | null> {
      const lines = await readLines(snapshotPath);
      const header = lines?.[0];
      const footer = lines?.at(-1);
      if (!lines || header?.kind !== 'header' || footer?.kind !== 'complete') return null;
      const profiles = lines.flatMap((l) => (l.kind === 'page' ? l.profiles : []));
      version = header.refreshId;
      return { version: header.refreshId, loadedAt: footer.loadedAt, profiles: dedupeById(profiles) };
    },
    async completeVersion() {
      if (version === undefined) {
        const snapshot = await this.readComplete();
        version = snapshot?.version ?? null;
      }
      return version;
    },
    async readProgress(): Promise<RefreshProgress | null> {
      const lines = await readLines(refreshPath);
      const header = lines?.[0];
      if (!lines || header?.kind !== 'header') return null;
      const pages = lines.filter((l): l is Extract<Line, { kind: 'page' }> => l.kind === 'page');
      return {
        refreshId: header.refreshId,
        startedAt: header.startedAt,
        cursor: pages.at(-1)?.cursor ?? '',
        pages: pages.length,
      };
    },
    async beginRefresh(startedAt) {
      makeFolders(dir);
      const refreshId = `${startedAt}-${randomBytes(4).toString('hex')}`;
      await writeFile(refreshPath, `${JSON.stringify({ kind: 'header', refreshId, startedAt })}\n`);
      return { refreshId, startedAt, cursor: '', pages: 0 };
    },
    async appendPage(_refreshId, profiles, nextCursor) {
      await appendLine(refreshPath, { kind: 'page', cursor: nextCursor, profiles: [...profiles] }, false);
    },
    async completeRefresh(refreshId, loadedAt) {
      await appendLine(refreshPath, { kind: 'complete', loadedAt }, true);
      await rename(refreshPath, snapshotPath);
      version = refreshId;
      return refreshId;
    },
    tryLease: async () => true,
    close: async () => {},
  };
}

async function appendLine(path: string, line: Line, flush: boolean): Promise<void> {
  const handle = await open(path, 'a');
  try {
    await handle.write(`${JSON.stringify(line)}\n`);
    if (flush) await handle.sync();
  } finally {
    await handle.close();
  }
}
