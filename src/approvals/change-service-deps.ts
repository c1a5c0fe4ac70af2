import type {
  ApplyProgress,
  ApplyReport,
  Group,
  PersonOutcome,
  PersonRef,
  Plan,
} from '../membership/types.js';
import type { MembershipEndStore } from './expiry/end-store.js';
import type { OwnerPower } from './owners/types.js';
import type { ActingUser, ApprovalPolicy } from './policy.js';
import type { AuditLog, ChangeResults, ChangeStore, Clock, ProcessedKeys } from './ports.js';
import type { StandingSyncStore } from './standing-sync/types.js';

/*
 * What the change service is built from, in a file of its own: the steps, undo and expiry modules need these
 * types too, and taking them from `change-service.ts` (which imports those modules) made import circles.
 */

/** What the change service needs of the membership core (see `createMembershipService`). */
export type MembershipOps = {
  planAdd(group: Group, refs: PersonRef[]): Promise<Plan>;
  planRemove(group: Group, refs: PersonRef[]): Promise<Plan>;
  /** A sync from a source (SPEC §4.7): both directions in one plan. */
  planSync(group: Group, source: PersonRef[], options: { addOnly: boolean }): Promise<Plan>;
  applyPlan(
    plan: Plan,
    opts?: {
      onProgress?(progress: ApplyProgress): void;
      onBatch?(outcomes: PersonOutcome[]): Promise<void> | void;
      resume?: boolean;
    },
  ): Promise<ApplyReport>;
};

export type ChangeServiceDeps = {
  membership: MembershipOps;
  store: ChangeStore & AuditLog & ProcessedKeys & MembershipEndStore & StandingSyncStore;
  clock: Clock;
  policy: ApprovalPolicy;
  requestTtlMs: number;
  undoWindowMs: number;
  newId?: () => string;
  /** Told of each change that reaches its final status (metrics); optional. */
  results?: ChangeResults;
  /**
   * This process, as the owner of the changes it applies (see `Lease`). Unique per process: two replicas
   * must never share one. Default: a random id.
   */
  owner?: string;
  /** How long a lease lasts without renewal; the owner renews it every third of that. Default 30 s. */
  leaseMs?: number;
  /** The longest `--for` / `--until` (MAX_MEMBERSHIP_DURATION); default 365 days. */
  maxMembershipMs?: number;
  /** How long before a temporary membership ends its reminder goes out (EXPIRY_REMINDER); default 1 day. */
  expiryReminderMs?: number;
  /** SYNC_INTERVAL: how often standing syncs run; default 1 hour. */
  syncIntervalMs?: number;
  /** SYNC_MAX_REMOVALS: a standing sync run removing more waits for an administrator; default 10. */
  syncMaxRemovals?: number;
  /** Group owners (SPEC §4.8): asked at each action what an owner may do there. None: administrators only. */
  owners?: OwnershipCheck;
};

/** What the change service asks of the owner service (see `createOwnerService`). */
export type OwnershipCheck = {
  ownerPower(by: ActingUser, groupId: string): Promise<OwnerPower>;
  ownedGroupIds(by: ActingUser): Promise<Set<string>>;
};

/** SYNC_INTERVAL's default (SPEC §6). */
export const DEFAULT_SYNC_INTERVAL_MS = 3_600_000;
/** SYNC_MAX_REMOVALS's default (SPEC §6). */
export const DEFAULT_SYNC_MAX_REMOVALS = 10;

/** Default lease: long enough that a busy event loop never loses it, short enough for a quick takeover. */
export const DEFAULT_LEASE_MS = 30_000;
