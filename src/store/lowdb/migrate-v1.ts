import { copyFileSync, existsSync } from 'node:fs';
import type { Low } from 'lowdb';
import { type Change, isChangeAudit } from '../../approvals/types.js';
import type { HistoryLog } from '../history/history-log.js';
import { compactAudit, compactChange, type HistoryRecord } from '../history/history-records.js';
import { isLive } from '../live-rules.js';
import { type StoreData, type StoreDataV1, storeParts } from './file-data.js';
import type { ApplyJournal } from './journal.js';

/** Records per append while migrating: bounded memory for the serialized batch. */
const RECORDS_PER_APPEND = 500;

/**
 * Version 1 kept everything in `store.json`. The first start of version 2 moves finished changes and the
 * audit log to the history, running changes' outcomes to their journals, and rewrites `store.json` with
 * what is alive. The old file is copied beside it first (`store.json.v1-backup`). A crash half-way is
 * harmless: `store.json` is still version 1 until the very last write, and the history skips what it
 * already holds (by id), so the next start simply migrates again.
 */
export async function migrateV1(ctx: {
  file: string;
  legacy: StoreDataV1;
  db: Low<StoreData>;
  history: HistoryLog;
  journal: ApplyJournal;
  log: { warn(msg: string): void };
}): Promise<void> {
  const { file, legacy, db, history, journal, log } = ctx;
  const backup = storeParts(file).backupV1;
  if (!existsSync(backup)) copyFileSync(file, backup);
  const live: Record<string, Change> = {};
  let batch: HistoryRecord[] = [];
  const flush = async () => {
    await history.append(batch);
    batch = [];
  };
  let moved = 0;
  for (const change of Object.values(legacy.changes)) {
    if (isLive(change)) {
      live[change.id] = change;
      continue;
    }
    moved += 1;
    if (history.changes.has(change.id)) continue;
    batch.push({ k: 'change', change: compactChange(change) });
    if (batch.length >= RECORDS_PER_APPEND) await flush();
  }
  for (const entry of legacy.audit) {
    if (history.hasAudit(entry.id)) continue;
    const change = isChangeAudit(entry) ? legacy.changes[entry.changeId] : undefined;
    batch.push({ k: 'audit', audit: compactAudit(entry, change) });
    if (batch.length >= RECORDS_PER_APPEND) await flush();
  }
  await flush();
  for (const change of Object.values(live)) {
    if (change.status !== 'applying') continue;
    journal.remove(change.id);
    if (change.outcomes?.length) await journal.append(change.id, change.outcomes);
  }
  db.data = {
    version: 2,
    changes: live,
    processedKeys: legacy.processedKeys,
    identityLinks: legacy.identityLinks,
    ends: {},
    standingSyncs: {},
    owners: {},
  };
  await db.write();
  log.warn(
    `store: migrated ${file} to version 2: ${moved} finished change(s) and ${legacy.audit.length} audit ` +
      `row(s) moved to the history, ${Object.keys(live).length} live change(s) kept; the old file is ${backup}`,
  );
}
