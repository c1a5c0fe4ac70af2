import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AuditEntry } from '../approvals/types.js';
import { HistoryLog } from '../store/history/history-log.js';
import { createHistoryReader } from '../store/history/history-reader.js';
import { parseStoreData, storeParts } from '../store/lowdb/file-data.js';
import { openStore, parseStoreUrl } from '../store/open-store.js';

export type AuditSource = {
  /** Oldest first, from `since` (ISO) on. */
  entries(since?: string): AsyncIterable<AuditEntry>;
  /** A note for standard error about how the log is read, if any. */
  note?: string;
  close(): Promise<void>;
};

/**
 * Opens the audit log of STORE_URL for reading. PostgreSQL is opened as the bot opens it (`openStore`).
 * The embedded store is read without its lock, whether or not the bot runs: the history is append-only
 * (a line being written is simply not there yet) and the live file is replaced in one rename, so what is
 * read is always whole. A file that does not exist is an error, not a new store.
 */
export async function openAuditSource(storeUrl: string, cwd: string): Promise<AuditSource> {
  const location = parseStoreUrl(storeUrl, cwd);
  if (location.kind === 'postgres') {
    const store = await openStore(storeUrl, { cwd, log: { warn: () => {} } });
    return {
      entries: (since) => store.exportAudit(since === undefined ? {} : { since }),
      close: () => store.close(),
    };
  }
  if (!existsSync(location.path)) {
    throw new Error(`There is no store file at ${location.path}. Check STORE_URL.`);
  }
  const data = parseStoreData(JSON.parse(await readFile(location.path, 'utf8')), location.path);
  const note = existsSync(`${location.path}.lock`)
    ? `The store file is in use by the bot; exporting a snapshot of ${location.path} and its history.`
    : undefined;
  if (data.version === 1) {
    return {
      ...(note && { note }),
      entries: (since) => snapshotEntries(data.audit, since),
      close: async () => {},
    };
  }
  const history = await HistoryLog.open(storeParts(location.path).history, {
    log: { warn: () => {} },
    writable: false,
  });
  const reader = createHistoryReader(history, (id) => data.changes[id] ?? null);
  return {
    ...(note && { note }),
    entries: (since) => reader.exportAudit(since === undefined ? {} : { since }),
    close: async () => {},
  };
}

async function* snapshotEntries(audit: readonly AuditEntry[], since?: string): AsyncIterable<AuditEntry> {
  const from = since === undefined ? undefined : Date.parse(since);
  for (const entry of audit) {
    if (from === undefined || Date.parse(entry.at) >= from) yield entry;
  }
}
