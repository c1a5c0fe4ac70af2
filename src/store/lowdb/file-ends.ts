import { endKeyOf, type MembershipEndStore } from '../../approvals/expiry/end-store.js';
import type { EndKey, EndsWrite, MembershipEnd } from '../../approvals/expiry/types.js';
import { copyData } from './copy-data.js';
import type { StoreData } from './file-data.js';
import type { FilePartContext } from './file-part.js';

/**
 * The ends of temporary memberships in the embedded store's live state: plain functions over the record
 * the store keeps in memory and writes with the live file. The store runs them inside its commit queue,
 * so each is atomic; one process holds the file, so claims only have to guard against that process itself
 * (a sweep overlapping a click) and against a process that held the file before it.
 */
export type EndsTable = Record<string, MembershipEnd>;

/** Soonest end first; group and user break ties (both stores list in the same order). */
export function compareEnds(a: MembershipEnd, b: MembershipEnd): number {
  if (a.endsAt !== b.endsAt) return a.endsAt < b.endsAt ? -1 : 1;
  if (a.groupId !== b.groupId) return a.groupId < b.groupId ? -1 : 1;
  return a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;
}

/** Applies a finishing change's write; true if anything changed. */
export function applyEndsWrite(table: EndsTable, write: EndsWrite): boolean {
  let changed = false;
  for (const end of write.set) {
    table[endKeyOf(end)] = copyData(end);
    changed = true;
  }
  for (const key of write.drop) {
    const current = table[endKeyOf(key)];
    if (!current || (key.claimedBy && current.claim?.changeId !== key.claimedBy)) continue;
    delete table[endKeyOf(key)];
    changed = true;
  }
  for (const key of write.release) {
    const current = table[endKeyOf(key)];
    if (!current || current.claim?.changeId !== key.claimedBy) continue;
    const { claim: _released, ...rest } = current;
    table[endKeyOf(key)] = { ...rest, failures: (current.failures ?? 0) + 1, lastError: key.error };
    changed = true;
  }
  return changed;
}

export function selectEnds(table: EndsTable, groupId: string, userIds: readonly string[]): MembershipEnd[] {
  return userIds.flatMap((userId) => {
    const end = table[endKeyOf({ groupId, userId })];
    return end ? [copyData(end)] : [];
  });
}

export function sortedEnds(table: EndsTable, groupId?: string): MembershipEnd[] {
  return Object.values(table)
    .filter((end) => groupId === undefined || end.groupId === groupId)
    .sort(compareEnds);
}

const claimFree = (end: MembershipEnd, now: string) => !end.claim || end.claim.until <= now;

export function dueEnds(table: EndsTable, now: string, limit: number): MembershipEnd[] {
  return sortedEnds(table)
    .filter((end) => end.endsAt <= now && claimFree(end, now))
    .slice(0, limit)
    .map((end) => copyData(end));
}

export function claimEndsIn(
  table: EndsTable,
  keys: readonly EndKey[],
  claim: NonNullable<MembershipEnd['claim']>,
  now: string,
): MembershipEnd[] {
  const claimed: MembershipEnd[] = [];
  for (const key of keys) {
    const end = table[endKeyOf(key)];
    if (!end || end.endsAt > now || !claimFree(end, now)) continue;
    end.claim = { ...claim };
    claimed.push(copyData(end));
  }
  return claimed;
}

export function claimRemindersIn(
  table: EndsTable,
  query: { now: string; remindBeforeMs: number; claimUntil: string; limit: number },
): MembershipEnd[] {
  const nowMs = Date.parse(query.now);
  const claimed: MembershipEnd[] = [];
  for (const end of sortedEnds(table)) {
    if (claimed.length >= query.limit) break;
    const endsMs = Date.parse(end.endsAt);
    if (endsMs <= nowMs || endsMs - query.remindBeforeMs > nowMs) continue;
    if (end.reminder?.sentAt) continue;
    if (end.reminder?.claimedUntil && end.reminder.claimedUntil > query.now) continue;
    end.reminder = { claimedUntil: query.claimUntil };
    claimed.push(copyData(end));
  }
  return claimed;
}

export function markRemindedIn(
  table: EndsTable,
  ends: readonly Pick<MembershipEnd, 'groupId' | 'userId' | 'endsAt'>[],
  at: string,
): boolean {
  let changed = false;
  for (const sent of ends) {
    const end = table[endKeyOf(sent)];
    // An end that moved meanwhile gets its own reminder before its new end.
    if (!end || end.endsAt !== sent.endsAt) continue;
    end.reminder = { sentAt: at };
    changed = true;
  }
  return changed;
}

/** The recorded ends of temporary memberships in the embedded store's live state (SPEC §4.6). */
export function fileEnds({ data, write, markLive }: FilePartContext): MembershipEndStore {
  // A claim or a reminder mark changes the live file only when it changed an end.
  const writeIf = <T>(mutate: (d: StoreData) => { value: T; changed: boolean }) =>
    write((d) => {
      const result = mutate(d);
      if (result.changed) markLive();
      return result;
    });
  return {
    async getEnds(groupId, userIds) {
      return selectEnds(data().ends, groupId, userIds);
    },

    async listEnds({ groupId, userId, offset = 0, limit }) {
      const all = sortedEnds(data().ends, groupId).filter(
        (end) => userId === undefined || end.userId === userId,
      );
      return copyData(all.slice(offset, limit === undefined ? undefined : offset + limit));
    },

    async countEnds({ groupId }) {
      const ends = Object.values(data().ends);
      return groupId === undefined ? ends.length : ends.filter((end) => end.groupId === groupId).length;
    },

    async listDueEnds({ now: at, limit }) {
      return dueEnds(data().ends, at, limit);
    },

    async claimEnds(keys, claim, at) {
      return writeIf((d) => {
        const claimed = claimEndsIn(d.ends, keys, claim, at);
        return { value: claimed, changed: claimed.length > 0 };
      });
    },

    async claimReminders(query) {
      return writeIf((d) => {
        const claimed = claimRemindersIn(d.ends, query);
        return { value: claimed, changed: claimed.length > 0 };
      });
    },

    async markReminded(ends, at) {
      await writeIf((d) => ({ value: undefined, changed: markRemindedIn(d.ends, ends, at) }));
    },
  };
}
