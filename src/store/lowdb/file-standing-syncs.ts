import type { StandingSync, StandingSyncStore, SyncRunPatch } from '../../approvals/standing-sync/types.js';
import { copyData } from './copy-data.js';
import type { FilePartContext } from './file-part.js';

/**
 * Standing syncs in the embedded store's live state. Each operation runs inside the store's commit queue,
 * so a claim is atomic; one process holds the file, so a claim only guards against overlapping runs of that
 * process (and lapses after a crash, as its `until` passes).
 */
export function fileStandingSyncs(
  deps: Pick<FilePartContext, 'data' | 'write' | 'markLive'>,
): StandingSyncStore {
  const { data, write, markLive } = deps;
  const changed = <T>(value: T) => {
    markLive();
    return { value, changed: true };
  };
  return {
    async saveStandingSync(sync) {
      const copy = copyData(sync);
      await write((d) => {
        const { claim: _dropped, ...rest } = copy;
        d.standingSyncs[sync.groupId] = rest;
        return changed(undefined);
      });
    },
    async getStandingSync(groupId) {
      const sync = data().standingSyncs[groupId];
      return sync ? copyData(sync) : null;
    },
    async listStandingSyncs() {
      return copyData(Object.values(data().standingSyncs).sort(bySoonest));
    },
    async removeStandingSync(groupId) {
      return write((d) => {
        if (!d.standingSyncs[groupId]) return { value: false, changed: false };
        delete d.standingSyncs[groupId];
        return changed(true);
      });
    },
    async claimDueSync({ now, owner, until }) {
      return write((d) => {
        const due = Object.values(d.standingSyncs)
          .filter((s) => s.nextRunAt <= now && !s.paused && (!s.claim || s.claim.until <= now))
          .sort(bySoonest)[0];
        if (!due) return { value: null, changed: false };
        due.claim = { owner, until };
        return changed(copyData(due));
      });
    },
    async finishSyncRun(groupId, owner, patch) {
      return write((d) => {
        const sync = d.standingSyncs[groupId];
        if (sync?.claim?.owner !== owner) return { value: false, changed: false };
        d.standingSyncs[groupId] = applyRunPatch(sync, patch);
        return changed(true);
      });
    },
  };
}

/** The sync after a run: the patch written, the claim dropped (both stores use this). */
export function applyRunPatch(sync: StandingSync, patch: SyncRunPatch): StandingSync {
  const { claim: _done, paused, waitingFor, ...rest } = sync;
  const next: StandingSync = { ...rest, nextRunAt: patch.nextRunAt, lastRun: copyData(patch.lastRun) };
  const keptPaused = patch.paused === undefined ? paused : (patch.paused ?? undefined);
  const keptWaiting = patch.waitingFor === undefined ? waitingFor : (patch.waitingFor ?? undefined);
  return {
    ...next,
    ...(keptPaused ? { paused: keptPaused } : {}),
    ...(keptWaiting ? { waitingFor: keptWaiting } : {}),
  };
}

function bySoonest(a: StandingSync, b: StandingSync): number {
  return a.nextRunAt < b.nextRunAt ? -1 : a.nextRunAt > b.nextRunAt ? 1 : a.groupId < b.groupId ? -1 : 1;
}
