import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AuditEntry } from '../approvals/types.js';
import { parseStoreData } from '../store/lowdb/file-data.js';
import { openStore, parseStoreUrl } from '../store/open-store.js';

export type AuditSource = {
  /** Oldest first, from `since` (ISO) on. */
  entries(since?: string): AsyncIterable<AuditEntry>;
  /** A note for standard error about how the log is read, if any. */
  note?: string;
  close(): Promise<void>;
};

/**
 * Opens the audit log of STORE_URL for reading. PostgreSQL and an idle JSON file are opened as the bot
 * opens them (`openStore`). A JSON file that the running bot holds (its lock) is read as a snapshot
 * instead: the bot replaces the file in one rename, so the snapshot is always a whole, consistent file,
 * and the export never has to stop the bot. A file that does not exist is an error, not a new store.
 */
export async function openAuditSource(storeUrl: string, cwd: string): Promise<AuditSource> {
  const location = parseStoreUrl(storeUrl, cwd);
  if (location.kind === 'file' && !existsSync(location.path)) {
    throw new Error(`There is no store file at ${location.path}. Check STORE_URL.`);
  }
  try {
    const store = await openStore(storeUrl, { cwd, log: { warn: () => {} } });
    return {
      entries: (since) => store.exportAudit(since === undefined ? {} : { since }),
      close: () => store.close(),
    };
  } catch (error) {
    if (location.kind !== 'file' || !existsSync(`${location.path}.lock`)) throw error;
    const data = parseStoreData(JSON.parse(await readFile(location.path, 'utf8')), location.path);
    return {
      note: `The store file is in use by the bot; exporting a snapshot of ${location.path}.`,
      entries: (since) => snapshotEntries(data.audit, since),
      close: async () => {},
    };
  }
}

async function* snapshotEntries(audit: readonly AuditEntry[], since?: string): AsyncIterable<AuditEntry> {
  const from = since === undefined ? undefined : Date.parse(since);
  for (const entry of audit) {
    if (from === undefined || Date.parse(entry.at) >= from) yield entry;
  }
}
