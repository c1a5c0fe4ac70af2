import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { Clock, Store } from '../../approvals/ports.js';
import { systemClock } from '../../approvals/ports.js';
import type { AuditEntry, Change, TransitionResult } from '../../approvals/types.js';
import { AppError } from '../../membership/errors.js';
import type { IdentityLink } from '../../membership/ports.js';
import type { ChangePatch } from '../change-patch.js';
import { checkLimit, compareByCreatedAt, definedFields, parseSince } from '../change-patch.js';
import { CommitQueue } from './commit-queue.js';
import type { StoreData } from './file-data.js';
import { emptyStoreData, loadStoreData, parseStoreData } from './file-data.js';
import { acquireFileLock } from './file-lock.js';

export type FileStoreOptions = {
  clock?: Clock;
  log?: { warn(msg: string): void };
};

/** Expired processed keys are swept at most this often, inside a write that happens anyway. */
const PRUNE_EVERY_MS = 60_000;

/**
 * The embedded store (SPEC §7): one JSON file, one process. Everything lives in memory and the whole file
 * is rewritten (temp file + rename, so never half-written) after each batch of mutations.
 * Atomicity comes from the commit queue: every read-modify-write runs synchronously on the in-memory data.
 */
export async function openFileStore(path: string, opts: FileStoreOptions = {}): Promise<Store> {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  const lock = acquireFileLock(file);
  try {
    // Compact JSON: the whole file is rewritten on every commit, and indentation doubles its size.
    const adapter = new DataFile<StoreData>(file, { parse: JSON.parse, stringify: (d) => JSON.stringify(d) });
    const db = new Low<StoreData>(adapter, emptyStoreData());
    const state = await loadStoreData(db, file);
    // Writing a new file at once shows a read-only directory at start, not at the first approval.
    if (state === 'new') await db.write();
    return createFileStore(db, file, opts, () => lock.release());
  } catch (error) {
    lock.release();
    throw error;
  }
}

function createFileStore(
  db: Low<StoreData>,
  file: string,
  opts: FileStoreOptions,
  unlock: () => void,
): Store {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? { warn: (msg: string) => console.warn(msg) };
  let closed = false;
  let lastPruneAt = 0;
  let keysUnsaved = false;

  const queue = new CommitQueue(
    () => db.write(),
    async (cause) => {
      log.warn(`store: writing ${file} failed (${String(cause)}); reloading its last good state`);
      await db.read();
      db.data = parseStoreData(db.data, file);
    },
  );

  const data = (): StoreData => {
    if (closed) throw new AppError('store_unavailable', `The store ${file} is closed`);
    return db.data;
  };
  // The data is looked up when the mutation runs: a failed write may have reloaded it meanwhile.
  const write = <T>(mutate: (d: StoreData) => { value: T; changed: boolean }): Promise<T> => {
    data();
    return queue.run(() => mutate(db.data));
  };
  const now = (): string => clock.now().toISOString();

  return {
    async createChange(change) {
      const copy = structuredClone(change);
      await write((d) => {
        if (d.changes[copy.id]) {
          throw new AppError('invalid_input', `A change with id ${copy.id} already exists`, {
            changeId: copy.id,
          });
        }
        d.changes[copy.id] = copy;
        return { value: undefined, changed: true };
      });
    },

    async getChange(id) {
      const change = data().changes[id];
      return change ? structuredClone(change) : null;
    },

    async transitionChange(id, expected, next, patch) {
      const fields = structuredClone(definedFields(patch));
      return write<TransitionResult>((d) => {
        const current = d.changes[id];
        if (!current || !expected.includes(current.status)) {
          return { value: { ok: false, current: current ? structuredClone(current) : null }, changed: false };
        }
        const updated: Change = { ...current, updatedAt: now(), ...fields, status: next };
        d.changes[id] = updated;
        return { value: { ok: true, change: structuredClone(updated) }, changed: true };
      });
    },

    async updateChange(id, patch: ChangePatch) {
      const fields = structuredClone(definedFields(patch));
      return write((d) => {
        const current = d.changes[id];
        if (!current) return { value: null, changed: false };
        const updated: Change = { ...current, updatedAt: now(), ...fields };
        d.changes[id] = updated;
        return { value: structuredClone(updated), changed: true };
      });
    },

    async appendOutcomes(id, outcomes) {
      const copy = structuredClone(outcomes);
      await write((d) => {
        const current = d.changes[id];
        if (!current) throw new AppError('change_not_found', `No change with id ${id}`, { changeId: id });
        d.changes[id] = { ...current, updatedAt: now(), outcomes: [...(current.outcomes ?? []), ...copy] };
        return { value: undefined, changed: true };
      });
    },

    async listChanges({ statuses, requestedBy, limit }) {
      const max = checkLimit(limit);
      const found = Object.values(data().changes)
        .filter((c) => statuses.includes(c.status))
        .filter((c) => requestedBy === undefined || c.requestedBy.slackUserId === requestedBy)
        .sort(compareByCreatedAt);
      return structuredClone(max === undefined ? found : found.slice(0, max));
    },

    async appendAudit(entry) {
      const copy = structuredClone(entry);
      await write((d) => {
        d.audit.push(copy);
        return { value: undefined, changed: true };
      });
    },

    async listAudit({ groupId, limit }) {
      const max = checkLimit(limit) ?? Number.POSITIVE_INFINITY;
      const audit = data().audit;
      const found: AuditEntry[] = [];
      for (let i = audit.length - 1; i >= 0 && found.length < max; i--) {
        const entry = audit[i]!;
        if (groupId === undefined || entry.groupId === groupId) found.push(structuredClone(entry));
      }
      return found;
    },

    async *exportAudit({ since }) {
      const from = parseSince(since)?.getTime();
      // By index, one entry at a time: appends made meanwhile are exported too, nothing is copied in bulk.
      for (let i = 0; i < data().audit.length; i++) {
        const entry = data().audit[i]!;
        if (from === undefined || Date.parse(entry.at) >= from) yield structuredClone(entry);
      }
    },

    async claimKey(key, ttlMs) {
      // Decided at once on the in-memory data (one thread: nothing can interleave) and saved with the next
      // commit or at close, without a write of its own: this sits on the path of every Slack acknowledgement,
      // rewriting the whole file per request would stall them all, and a key only has to outlive Slack's
      // retries of a request this process is handling.
      const d = data();
      const nowMs = clock.now().getTime();
      if (nowMs - lastPruneAt >= PRUNE_EVERY_MS) {
        lastPruneAt = nowMs;
        for (const [k, expiresAt] of Object.entries(d.processedKeys)) {
          if (expiresAt <= nowMs) delete d.processedKeys[k];
        }
      }
      const expiresAt = d.processedKeys[key];
      if (expiresAt !== undefined && expiresAt > nowMs) return false;
      d.processedKeys[key] = nowMs + ttlMs;
      keysUnsaved = true;
      return true;
    },

    async getLink(slackUserId) {
      const link = data().identityLinks[slackUserId];
      return link ? structuredClone(link) : null;
    },

    async setLink(link: IdentityLink) {
      const copy = structuredClone(link);
      await write((d) => {
        d.identityLinks[copy.slackUserId] = copy;
        return { value: undefined, changed: true };
      });
    },

    async removeLink(slackUserId) {
      return write((d) => {
        if (!d.identityLinks[slackUserId]) return { value: false, changed: false };
        delete d.identityLinks[slackUserId];
        return { value: true, changed: true };
      });
    },

    async ping() {
      return !closed;
    },

    async close() {
      if (closed) return;
      // Refuse new work first, then let what was already queued reach the file before letting go of it.
      if (keysUnsaved) await queue.run(() => ({ value: undefined, changed: true })).catch(() => undefined);
      closed = true;
      await queue.idle();
      unlock();
    },
  };
}
