import type { IdentityLinkStore } from '../membership/ports.js';
import type { ChangeAction, PersonOutcome } from '../membership/types.js';
import type { MembershipEndStore } from './expiry/end-store.js';
import type { EndsWrite } from './expiry/types.js';
import type { GroupOwnerStore } from './owners/owner-store.js';
import type { StandingSyncStore } from './standing-sync/types.js';
import type { AuditEntry, Change, ChangeStatus, Lease, TransitionResult } from './types.js';

/** Changes: previews, requests and the apply journal. Implemented by `src/store/` (lowdb, PostgreSQL). */
export interface ChangeStore {
  createChange(change: Change): Promise<void>;
  getChange(id: string): Promise<Change | null>;
  /**
   * Atomic compare-and-set on `status`: moves the change to `next` (and applies `patch`) only if its
   * current status is one of `expected`. Exactly one of two concurrent callers wins, across replicas.
   */
  transitionChange(
    id: string,
    expected: readonly ChangeStatus[],
    next: ChangeStatus,
    patch?: Partial<Omit<Change, 'id' | 'status'>>,
    also?: TransitionExtras,
  ): Promise<TransitionResult>;
  /**
   * Updates fields other than `status` (locations, notification state). Returns the new record. An audit
   * row given (`also.audit`) is written in the same atomic write, and only if the change exists.
   */
  updateChange(
    id: string,
    patch: Partial<Omit<Change, 'id' | 'status'>>,
    also?: Pick<TransitionExtras, 'audit'>,
  ): Promise<Change | null>;
  /**
   * Takes the lease of a change in one of `statuses`, atomically: only if it has no lease or its lease has
   * expired (`until` ≤ `now`), whoever held it (a live lease is never taken, not even by its own owner's
   * takeover job). Of several processes claiming at once, at most one gets the change back; the others null. (The embedded store also treats a lease renewed
   * before it was opened as expired: its file lock proves that process is gone.)
   */
  claimChange(
    id: string,
    claim: { lease: Lease; now: string; statuses: readonly ChangeStatus[] },
  ): Promise<Change | null>;
  /** Moves `until` on, only while `lease.owner` still holds the change in `approved`/`applying`. */
  renewLease(id: string, lease: Lease): Promise<boolean>;
  /**
   * Merges these keys into `locations` in one atomic operation (no read-modify-write in the caller), so
   * two processes recording where they posted never lose each other's keys; `patch` (other fields, e.g.
   * the delivery state of what was posted there) is written in the same operation. Returns the new record.
   */
  mergeLocations(
    id: string,
    locations: Record<string, string>,
    patch?: Partial<Omit<Change, 'id' | 'status' | 'locations'>>,
  ): Promise<Change | null>;
  /**
   * Records the delivery of some of a change's announcements (`Change.outbox`), merged atomically key by
   * key, so the deliveries of two announcements written at once never overwrite each other. An audit row
   * given (a delivery given up) is written in the same atomic write, and only if the change exists.
   */
  recordDeliveries(
    id: string,
    deliveries: NonNullable<Change['outbox']>,
    also?: Pick<TransitionExtras, 'audit'>,
  ): Promise<Change | null>;
  /** Appends outcomes to the apply journal of a change (one batch at a time). */
  appendOutcomes(id: string, outcomes: NonNullable<Change['outcomes']>): Promise<void>;
  /**
   * Finished changes that still owe Slack an announcement (the channel notice or one of the outbox's),
   * oldest first: what the announcement relay delivers. Its cost is what is owed, never the history.
   */
  listOwing(query?: { limit?: number }): Promise<Change[]>;
  /**
   * Live changes in any of these statuses, oldest first: those not finished, and finished ones whose
   * announcement is still pending. Finished and announced changes are history (read them by id).
   */
  listChanges(query: {
    statuses: readonly ChangeStatus[];
    requestedBy?: string;
    limit?: number;
  }): Promise<Change[]>;
}

/**
 * Small records written in the same atomic commit as a transition: if the transition is taken, they are
 * stored with it; if not, neither is. (A crash never leaves one without the other.)
 */
export type TransitionExtras = {
  /** The audit row of this step. */
  audit?: AuditEntry;
  /** What the finished change does to the recorded ends of temporary memberships (SPEC §4.6). */
  ends?: EndsWrite;
};

/** The append-only audit log (SPEC §4.5). */
export interface AuditLog {
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  listAudit(query: { groupId?: string; limit?: number }): Promise<AuditEntry[]>;
  /** Oldest first, for export; streams so that a long log does not sit in memory at once. */
  exportAudit(query: { since?: string }): AsyncIterable<AuditEntry>;
}

/** Keys of requests already processed: Slack retries and double clicks never do work twice. */
export interface ProcessedKeys {
  /** True the first time a key is claimed (within `ttlMs`), false afterwards. */
  claimKey(key: string, ttlMs: number): Promise<boolean>;
}

/** Everything the bot persists. */
export interface Store
  extends ChangeStore,
    AuditLog,
    ProcessedKeys,
    IdentityLinkStore,
    MembershipEndStore,
    StandingSyncStore,
    GroupOwnerStore {
  /** Cheap liveness check (no write). */
  ping(): Promise<boolean>;
  /** Really writes (the live state file / a row), so that a full disk or a read-only database shows. */
  probeWrite(): Promise<boolean>;
  close(): Promise<void>;
}

/** A change that reached its final status, as the core reports it (metrics count these). */
export type FinishedChange = {
  action: ChangeAction;
  status: 'applied' | 'partially_applied' | 'failed';
  outcomes: readonly Pick<PersonOutcome, 'outcome'>[];
};

/** Told of every change that finishes, once, by whoever finished it; must not throw. */
export interface ChangeResults {
  finished(change: FinishedChange): void;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
