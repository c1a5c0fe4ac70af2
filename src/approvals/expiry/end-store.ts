import type { EndKey, MembershipEnd } from './types.js';

/**
 * The recorded ends of temporary memberships (live state in both stores). Writes that belong to a finishing
 * change go through `ChangeStore.transitionChange` (`TransitionExtras.ends`); these are the rest.
 */
export interface MembershipEndStore {
  /** The recorded ends of these people in this group (those that have one). */
  getEnds(groupId: string, userIds: readonly string[]): Promise<MembershipEnd[]>;
  /**
   * Soonest end first (group id, then user id break ties); `groupId` and `userId` (the member's Kantata id)
   * filter; `offset`/`limit` page.
   */
  listEnds(query: {
    groupId?: string;
    userId?: string;
    offset?: number;
    limit?: number;
  }): Promise<MembershipEnd[]>;
  countEnds(query: { groupId?: string }): Promise<number>;
  /** Ends due at `now` (endsAt ≤ now) whose claim is absent or lapsed, soonest first. */
  listDueEnds(query: { now: string; limit: number }): Promise<MembershipEnd[]>;
  /**
   * Claims these ends for one due removal, atomically per end: only those still due whose claim is absent
   * or lapsed (`until` ≤ now). Of several processes claiming at once, each end goes to exactly one.
   */
  claimEnds(
    keys: readonly EndKey[],
    claim: { changeId: string; owner: string; until: string },
    now: string,
  ): Promise<MembershipEnd[]>;
  /**
   * Claims the reminders due at `now` (endsAt − remindBefore ≤ now < endsAt), not yet sent and not claimed
   * by a live claim; each reminder goes to exactly one caller, who marks it sent once posted.
   */
  claimReminders(query: {
    now: string;
    remindBeforeMs: number;
    claimUntil: string;
    limit: number;
  }): Promise<MembershipEnd[]>;
  /** The reminder of these ends (as they are now: the same `endsAt`) has been sent. */
  markReminded(
    ends: readonly Pick<MembershipEnd, 'groupId' | 'userId' | 'endsAt'>[],
    at: string,
  ): Promise<void>;
}

/** `groupId` + `userId` as one string key (file store, maps). */
export function endKeyOf(key: EndKey): string {
  return `${key.groupId}\u0000${key.userId}`;
}
