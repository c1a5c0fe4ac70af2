import { dirname, resolve } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { Clock, Store, TransitionExtras } from '../../approvals/ports.js';
import { systemClock } from '../../approvals/ports.js';
import { type AuditEntry, type Change, isChangeAudit, type TransitionResult } from '../../approvals/types.js';
import { AppError } from '../../membership/errors.js';
import { makeFolders } from '../../util/make-folders.js';
import type { ChangePatch } from '../change-patch.js';
import { checkLimit, compareByCreatedAt, definedFields } from '../change-patch.js';
import { HistoryLog } from '../history/history-log.js';
import { createHistoryReader } from '../history/history-reader.js';
import { compactAudit, compactChange, type HistoryRecord } from '../history/history-records.js';
import { isLive, isOwing, isStalePreview } from '../live-rules.js';
import { CommitQueue } from './commit-queue.js';
import { copyData } from './copy-data.js';
import type { StoreData } from './file-data.js';
import { emptyStoreData, loadStoreData, storeParts, stringifyStoreData } from './file-data.js';
import { applyEndsWrite, fileEnds } from './file-ends.js';
import { fileLinks } from './file-links.js';
import { acquireFileLock, type FileLock } from './file-lock.js';
import { fileOwners } from './file-owners.js';
import type { FilePartContext, Write } from './file-part.js';
import { fileStandingSyncs } from './file-standing-syncs.js';
import { ApplyJournal } from './journal.js';
import { migrateV1 } from './migrate-v1.js';

/** The moments a commit writes something; a test can stop the process at each (`hooks.atWritePoint`). */
export type WritePoint = 'journal-appended' | 'history-appended' | 'live-written' | 'journal-removed';

export type FileStoreOptions = {
  clock?: Clock;
  log?: { warn(msg: string): void };
  /** Unused previews are dropped after this long (PREVIEW_TTL). */
  previewTtlMs?: number;
  /** The lease on the file (STORE_LOCK_LEASE). */
  leaseMs?: number;
  /** The lease was lost (this process was paused past it): the caller must exit; writes are refused. */
  onLockLost?: (error: Error) => void;
  hooks?: { atWritePoint?(point: WritePoint): void };
};

export const DEFAULT_PREVIEW_TTL_MS = 24 * 3_600_000;
/** Expired keys and previews are swept at most this often, inside a write that happens anyway. */
const SWEEP_EVERY_MS = 60_000;

/**
 * The embedded store (SPEC §7), for one process. What is alive is in memory and in the lowdb file
 * (rewritten, temp file + rename, after each batch of mutations that changed it): previews, unfinished
 * requests and changes, identity links, processed keys. What is finished goes to the append-only history
 * and is read from disk when asked for; the outcomes of a running change are appended to its journal.
 * So a commit costs what changed and what is alive, never what has been.
 *
 * Order of writes in one commit: journal appends, history appends, live state, journal removals. A crash
 * between any two is repaired at start: a change found in the history is finished (the history is written
 * first, so it is the newer), its live copy and journal are dropped; records are idempotent by id.
 */
export async function openFileStore(path: string, opts: FileStoreOptions = {}): Promise<Store> {
  const file = resolve(path);
  const log = opts.log ?? { warn: (msg: string) => console.warn(msg) };
  makeFolders(dirname(file));
  let onLost: (error: Error) => void = () => undefined;
  const lock = await acquireFileLock(file, {
    ...(opts.leaseMs ? { leaseMs: opts.leaseMs } : {}),
    log,
    onLost: (error) => onLost(error),
  });
  try {
    const adapter = new DataFile<StoreData>(file, { parse: JSON.parse, stringify: stringifyStoreData });
    const db = new Low<StoreData>(adapter, emptyStoreData());
    const parts = storeParts(file);
    const history = await HistoryLog.open(parts.history, { log });
    const journal = new ApplyJournal(parts.journal, log);
    const state = await loadStoreData(db, file);
    if (typeof state === 'object') {
      await migrateV1({ file, legacy: state.legacy, db, history, journal, log });
    }
    const repaired = reconcile(db.data, history, journal);
    if (state === 'new' || repaired) await db.write();
    const store = createFileStore({ db, file, history, journal, lock, opts: { ...opts, log } });
    onLost = (error) => {
      log.warn(`store: ${error.message}`);
      opts.onLockLost?.(error);
    };
    return store;
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/** Repairs what a crash between the writes of one commit left; true if the live state changed. */
function reconcile(data: StoreData, history: HistoryLog, journal: ApplyJournal): boolean {
  let changed = false;
  const running = new Set<string>();
  for (const [id, change] of Object.entries(data.changes)) {
    if (history.changes.has(id)) {
      delete data.changes[id];
      changed = true;
    } else if (change.status === 'applying') {
      running.add(id);
      change.outcomes = journal.read(id);
    }
  }
  journal.removeAllBut(running);
  return changed;
}

type Effects = {
  /** Finished changes leave in the version they have at the end of the batch (see `leaving`). */
  leavingIds: string[];
  history: HistoryRecord[];
  journal: { id: string; outcomes: NonNullable<Change['outcomes']> }[];
  removeJournals: string[];
  live: boolean;
};

function createFileStore(ctx: {
  db: Low<StoreData>;
  file: string;
  history: HistoryLog;
  journal: ApplyJournal;
  lock: FileLock;
  opts: FileStoreOptions & { log: { warn(msg: string): void } };
}): Store {
  const { db, file, history, journal, lock, opts } = ctx;
  const clock = opts.clock ?? systemClock;
  const previewTtlMs = opts.previewTtlMs ?? DEFAULT_PREVIEW_TTL_MS;
  const log = opts.log;
  let closed = false;
  let lastSweepAt = 0;
  let keysUnsaved = false;
  let effects: Effects = { leavingIds: [], history: [], journal: [], removeJournals: [], live: false };
  /** Changes on their way to the history in the commit being written (readable meanwhile). */
  const leaving = new Map<string, Change>();
  /** Patches of finished changes in the commit being written. */
  const patching = new Map<string, ChangePatch>();
  const pendingAuditIds = new Set<string>();
  const journaled = new Set(Object.keys(db.data.changes).filter((id) => db.data.changes[id]?.outcomes));
  const nowMs = () => clock.now().getTime();
  const now = (): string => clock.now().toISOString();
  const point = (p: WritePoint) => opts.hooks?.atWritePoint?.(p);

  const reader = createHistoryReader(history, (id) => db.data.changes[id] ?? leaving.get(id) ?? null);

  async function persist(): Promise<void> {
    lock.assertHeld();
    const batch = effects;
    effects = { leavingIds: [], history: [], journal: [], removeJournals: [], live: false };
    const sizes = new Map<string, number>();
    try {
      for (const { id, outcomes } of batch.journal) {
        if (!sizes.has(id)) sizes.set(id, journal.size(id));
        await journal.append(id, outcomes);
      }
      if (batch.journal.length > 0) point('journal-appended');
      const records: HistoryRecord[] = [
        ...batch.leavingIds.map(
          (id): HistoryRecord => ({ k: 'change', change: compactChange(leaving.get(id)!) }),
        ),
        ...batch.history,
      ];
      if (records.length > 0) {
        await history.append(records);
        point('history-appended');
      }
      if (batch.live || keysUnsaved) {
        keysUnsaved = false;
        await db.write();
        point('live-written');
      }
      for (const id of batch.removeJournals) {
        journal.remove(id);
        journaled.delete(id);
      }
      if (batch.removeJournals.length > 0) point('journal-removed');
    } catch (error) {
      for (const [id, size] of sizes) journal.cutBack(id, size);
      throw error;
    } finally {
      leaving.clear();
      patching.clear();
      pendingAuditIds.clear();
    }
  }

  async function restore(cause: unknown): Promise<void> {
    log.warn(`store: writing ${file} failed (${String(cause)}); reloading its last good state`);
    const keys = db.data.processedKeys;
    await loadStoreData(db, file);
    db.data.processedKeys = { ...db.data.processedKeys, ...keys };
    reconcile(db.data, history, journal);
  }

  const queue = new CommitQueue(persist, restore);

  const data = (): StoreData => {
    if (closed) throw new AppError('store_unavailable', `The store ${file} is closed`);
    return db.data;
  };
  // The data is looked up when the mutation runs: a failed write may have reloaded it meanwhile.
  const write: Write = (mutate) => {
    data();
    return queue.run(() => {
      sweep(db.data);
      return mutate(db.data);
    });
  };

  /** Drops expired keys and unused previews (PREVIEW_TTL), at most once a minute. */
  function sweep(d: StoreData): void {
    const at = nowMs();
    if (at - lastSweepAt < SWEEP_EVERY_MS) return;
    lastSweepAt = at;
    for (const [k, expiresAt] of Object.entries(d.processedKeys)) {
      if (expiresAt <= at) delete d.processedKeys[k];
    }
    for (const [id, change] of Object.entries(d.changes)) {
      if (isStalePreview(change, at, previewTtlMs)) {
        delete d.changes[id];
        effects.live = true;
      }
    }
  }

  /** Stores a new version of a live change: it stays live, or leaves for the history once finished. */
  function put(d: StoreData, change: Change): void {
    effects.live = true;
    if (change.status !== 'applying' && journaled.has(change.id)) effects.removeJournals.push(change.id);
    if (isLive(change)) {
      d.changes[change.id] = change;
      return;
    }
    delete d.changes[change.id];
    if (!leaving.has(change.id)) effects.leavingIds.push(change.id);
    leaving.set(change.id, change);
  }

  function queueAudit(d: StoreData, entry: AuditEntry): void {
    if (history.hasAudit(entry.id) || pendingAuditIds.has(entry.id)) return;
    pendingAuditIds.add(entry.id);
    const changeId = isChangeAudit(entry) ? entry.changeId : undefined;
    const change = changeId === undefined ? undefined : (d.changes[changeId] ?? leaving.get(changeId));
    effects.history.push({ k: 'audit', audit: compactAudit(entry, change) });
  }

  function liveCopy(id: string): Change | null {
    const change = db.data.changes[id] ?? leaving.get(id);
    if (!change) return null;
    if (isStalePreview(change, nowMs(), previewTtlMs)) return null;
    return copyData(change);
  }

  async function finishedCopy(id: string): Promise<Change | null> {
    const change = await reader.getChange(id);
    return change ? { ...change, ...copyData(patching.get(id) ?? {}) } : null;
  }

  // Leases renewed before this moment were held by a process that had this file before us: it is gone.
  const openedAt = now();
  const running: readonly string[] = ['approved', 'applying'];

  /**
   * Updates fields other than `status`, computed from the change as it is at the moment of the write (so a
   * merge never loses a concurrent one). A finished change is never rewritten: the update is appended to
   * the history as a patch.
   */
  async function patchChange(
    id: string,
    fieldsFor: (current: Change) => ChangePatch,
    audit?: AuditEntry,
  ): Promise<Change | null> {
    const base = db.data.changes[id] || leaving.has(id) ? null : await reader.getChange(id);
    const row = audit ? copyData(audit) : undefined;
    return write((d) => {
      const current = d.changes[id] ?? leaving.get(id);
      // In the same commit as the update (both are appended to the history in one write).
      if ((current || base) && row) queueAudit(d, row);
      if (current) {
        const updated: Change = { ...current, updatedAt: now(), ...copyData(fieldsFor(current)) };
        if (leaving.has(id)) leaving.set(id, updated);
        else put(d, updated);
        return { value: copyData(updated), changed: true };
      }
      if (!base) return { value: null, changed: false };
      const before = { ...base, ...history.changes.get(id)?.patch, ...patching.get(id) } as Change;
      const step = { updatedAt: now(), ...copyData(fieldsFor(before)) };
      patching.set(id, { ...patching.get(id), ...step });
      effects.history.push({ k: 'patch', id, patch: step });
      const folded = { ...history.changes.get(id)?.patch, ...patching.get(id) };
      return { value: { ...base, ...copyData(folded) } as Change, changed: true };
    });
  }

  const parts: FilePartContext = {
    data,
    write,
    markLive: () => {
      effects.live = true;
    },
    queueAudit,
  };

  return {
    async createChange(change) {
      const copy = copyData(change);
      await write((d) => {
        if (d.changes[copy.id] || leaving.has(copy.id) || history.changes.has(copy.id)) {
          throw new AppError('invalid_input', `A change with id ${copy.id} already exists`, {
            changeId: copy.id,
          });
        }
        put(d, copy);
        return { value: undefined, changed: true };
      });
    },

    async getChange(id) {
      data();
      return liveCopy(id) ?? (await finishedCopy(id));
    },

    async transitionChange(id, expected, next, patch, also?: TransitionExtras) {
      const fields = copyData(definedFields(patch));
      const audit = also?.audit ? copyData(also.audit) : undefined;
      const ends = also?.ends ? copyData(also.ends) : undefined;
      const result = await write<TransitionResult>((d) => {
        const current = d.changes[id];
        if (!current || !expected.includes(current.status)) {
          const seen = current ?? leaving.get(id);
          return { value: { ok: false, current: seen ? copyData(seen) : null }, changed: false };
        }
        const updated: Change = { ...current, updatedAt: now(), ...fields, status: next };
        put(d, updated);
        if (audit) queueAudit(d, audit);
        if (ends) applyEndsWrite(d.ends, ends);
        return { value: { ok: true, change: copyData(updated) }, changed: true };
      });
      // Not live: finished (read from the history) or unknown.
      if (!result.ok && result.current === null) return { ok: false, current: await finishedCopy(id) };
      return result;
    },

    async updateChange(id, patch: ChangePatch, also) {
      const fields = definedFields(patch);
      return patchChange(id, () => fields, also?.audit);
    },

    async claimChange(id, { lease, now: at, statuses }) {
      const claimed = copyData(lease);
      return write((d) => {
        const current = d.changes[id];
        if (!current || !statuses.includes(current.status)) return { value: null, changed: false };
        const held = current.lease;
        const free = !held || held.until <= at || held.renewedAt < openedAt;
        if (!free) return { value: null, changed: false };
        const updated: Change = { ...current, updatedAt: now(), lease: claimed };
        put(d, updated);
        return { value: copyData(updated), changed: true };
      });
    },

    async renewLease(id, lease) {
      const renewed = copyData(lease);
      return write((d) => {
        const current = d.changes[id];
        if (!current || !running.includes(current.status) || current.lease?.owner !== renewed.owner) {
          return { value: false, changed: false };
        }
        put(d, { ...current, lease: renewed });
        return { value: true, changed: true };
      });
    },

    async mergeLocations(id, locations, patch) {
      const added = copyData(locations);
      const { locations: _ignored, ...fields } = definedFields(patch);
      return patchChange(id, (current) => ({ ...fields, locations: { ...current.locations, ...added } }));
    },

    async recordDeliveries(id, deliveries, also) {
      const added = copyData(deliveries);
      return patchChange(id, (current) => ({ outbox: { ...current.outbox, ...added } }), also?.audit);
    },

    async appendOutcomes(id, outcomes) {
      const copy = copyData(outcomes);
      await write((d) => {
        const current = d.changes[id];
        if (!current) throw new AppError('change_not_found', `No change with id ${id}`, { changeId: id });
        // In memory and in the journal only: the live file does not hold the outcomes.
        current.outcomes ??= [];
        for (const outcome of copy) current.outcomes.push(outcome);
        current.updatedAt = now();
        effects.journal.push({ id, outcomes: copy });
        journaled.add(id);
        return { value: undefined, changed: true };
      });
    },

    async listOwing({ limit } = {}) {
      // The live state holds only what is unfinished or owed: the history is never looked at.
      const found = Object.values(data().changes).filter(isOwing).sort(compareByCreatedAt);
      return copyData(checkLimit(limit) === undefined ? found : found.slice(0, limit));
    },

    async listChanges({ statuses, requestedBy, limit }) {
      const max = checkLimit(limit);
      const at = nowMs();
      const found = Object.values(data().changes)
        .filter((c) => statuses.includes(c.status) && !isStalePreview(c, at, previewTtlMs))
        .filter((c) => requestedBy === undefined || c.requestedBy.slackUserId === requestedBy)
        .sort(compareByCreatedAt);
      return copyData(max === undefined ? found : found.slice(0, max));
    },

    async appendAudit(entry) {
      const copy = copyData(entry);
      await write((d) => {
        queueAudit(d, copy);
        return { value: undefined, changed: true };
      });
    },

    async listAudit(query) {
      data();
      return reader.listAudit(query);
    },

    exportAudit(query) {
      data();
      return reader.exportAudit(query);
    },

    async claimKey(key, ttlMs) {
      // Decided at once on the in-memory data (one thread: nothing can interleave) and saved with the next
      // commit or at close, without a write of its own: this sits on the path of every Slack acknowledgement,
      // and a key only has to outlive Slack's retries of a request this process is handling.
      const d = data();
      sweep(d);
      const at = nowMs();
      const expiresAt = d.processedKeys[key];
      if (expiresAt !== undefined && expiresAt > at) return false;
      d.processedKeys[key] = at + ttlMs;
      keysUnsaved = true;
      return true;
    },

    ...fileLinks(parts),
    ...fileEnds(parts),
    ...fileStandingSyncs(parts),
    ...fileOwners(parts),

    async ping() {
      return !closed;
    },

    async probeWrite() {
      // The real write path (temp file + rename of the live state, lock checked), not a read.
      try {
        await write(() => {
          effects.live = true;
          return { value: undefined, changed: true };
        });
        return true;
      } catch {
        return false;
      }
    },

    async close() {
      if (closed) return;
      // Refuse new work first, then let what was already queued reach the file before letting go of it.
      if (keysUnsaved) await queue.run(() => ({ value: undefined, changed: true })).catch(() => undefined);
      closed = true;
      await queue.idle();
      await lock.release();
    },
  };
}
