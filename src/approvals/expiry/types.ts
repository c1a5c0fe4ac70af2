import type { KantataUser } from '../../membership/types.js';
import type { Actor } from '../actor.js';

/**
 * How long an `add` lasts (SPEC §4.6). `for` counts from the moment the change is applied (for a request:
 * its approval), `until` is an instant (the end of a day in the caller's time zone, computed at the edge),
 * `extend` moves the current end on (Extend 7 days / 30 days of a reminder).
 */
export type MembershipTerm =
  | { kind: 'for'; ms: number }
  | { kind: 'until'; at: string }
  | { kind: 'extend'; ms: number };

/** Which temporary membership: one person in one group (Kantata's membership id is not the key, see README). */
export type EndKey = { groupId: string; userId: string };

/**
 * The bot's record that a membership ends (Kantata has no end dates; the bot is their only keeper).
 * Live state: it exists while the membership is temporary and is dropped once the end has been acted on.
 */
export type MembershipEnd = EndKey & {
  groupName: string;
  user: KantataUser;
  endsAt: string;
  /** The change that set this end (the add, or the extension that moved it). */
  setBy: string;
  /** When and by whom the person was first added for a time (kept when the end moves). */
  addedAt: string;
  addedBy: Actor;
  approvedBy?: Actor;
  /** The reminder before the end: claimed by one process, then marked sent (once, across replicas). */
  reminder?: { claimedUntil?: string; sentAt?: string };
  /** A due removal working on this end: which change, and until when the claim holds without that change. */
  claim?: { changeId: string; owner: string; until: string };
  /** Due removals that failed for this person so far (retried at every sweep, reported once repeated). */
  failures?: number;
  lastError?: string;
};

/**
 * What a finishing change does to the recorded ends, written in the same atomic commit as its final status
 * (a crash leaves both or neither).
 */
export type EndsWrite = {
  /** Upserted whole (a moved end loses its reminder state, so the new end gets a reminder). */
  set: MembershipEnd[];
  /** Dropped; with `claimedBy`, only while that due removal still holds the end. */
  drop: (EndKey & { claimedBy?: string })[];
  /** Due removals that failed: the claim is released and the failure counted. */
  release: (EndKey & { claimedBy: string; error: string })[];
};

/** What a due removal change carries: when the ends fell due, and who had added the people. */
export type ExpiryInfo = {
  dueAt: string;
  ends: Pick<MembershipEnd, 'userId' | 'endsAt' | 'addedAt' | 'addedBy' | 'approvedBy' | 'failures'>[];
};

/** The person acting for a due removal (audit actor, "removed by"): the bot itself. */
export const EXPIRY_ACTOR: Actor = { slackUserId: 'system:membership-end', name: 'Membership end' };
