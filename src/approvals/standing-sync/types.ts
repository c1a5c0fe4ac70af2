import type { PersonRef } from '../../membership/types.js';
import type { Actor, SyncSource } from '../types.js';

/**
 * A standing sync (SPEC §4.7 `--keep`): every SYNC_INTERVAL the group is made to match its source again.
 * One per group. Live state in both stores.
 */
export type StandingSync = {
  groupId: string;
  groupName: string;
  source: SyncSource;
  addOnly: boolean;
  createdBy: Actor;
  createdAt: string;
  /** When the next run is due. A run is identified by this instant (see `syncRunId`). */
  nextRunAt: string;
  lastRun?: SyncRun;
  /** The source is gone (a deleted user group): no run until someone sets the sync up again. */
  paused?: { at: string; reason: string };
  /** A braked run waiting for an administrator (the id of its request); later runs wait for the decision. */
  waitingFor?: string;
  /** The replica running it now, until when (a run that outlives its claim is taken over). */
  claim?: { owner: string; until: string };
};

export type SyncRunOutcome =
  | 'applied'
  | 'partially_applied'
  | 'failed'
  | 'unchanged'
  | 'braked'
  | 'waiting'
  | 'unreadable'
  | 'paused';

export type SyncRun = {
  at: string;
  outcome: SyncRunOutcome;
  changeId?: string;
  added?: number;
  removed?: number;
  /** Why, in words the core can give (a Slack reason comes from the transport). */
  detail?: string;
};

/** What a run writes when it ends: the next run, the outcome, and the sync's state. */
export type SyncRunPatch = Pick<StandingSync, 'nextRunAt' | 'lastRun'> & {
  paused?: StandingSync['paused'] | null;
  waitingFor?: string | null;
};

/** Standing syncs in the store (file store and PostgreSQL, same contract). */
export interface StandingSyncStore {
  /** Creates or replaces the group's standing sync (a replaced one loses its claim and state). */
  saveStandingSync(sync: StandingSync): Promise<void>;
  getStandingSync(groupId: string): Promise<StandingSync | null>;
  /** Every standing sync, soonest next run first. */
  listStandingSyncs(): Promise<StandingSync[]>;
  /** True if there was one. */
  removeStandingSync(groupId: string): Promise<boolean>;
  /**
   * Takes one due sync (`nextRunAt` ≤ `now`, not paused, no claim or an expired one), atomically: of several
   * replicas asking at once, exactly one gets it. Soonest first.
   */
  claimDueSync(claim: { now: string; owner: string; until: string }): Promise<StandingSync | null>;
  /** Ends a run: writes the patch and drops the claim, only while `owner` still holds it. */
  finishSyncRun(groupId: string, owner: string, patch: SyncRunPatch): Promise<boolean>;
}

/**
 * What a run reads from its source, as the transport reports it: the people, or why there are none (the
 * source was deleted; it could not be read now).
 */
export type SourceRead =
  | { ok: true; people: PersonRef[] }
  | { ok: false; problem: 'deleted' | 'unreadable'; detail: string };

/** Reads a standing sync's source now (the transport knows Slack): for a run, and for Apply this run. */
export type SourceReader = (sync: Pick<StandingSync, 'groupId' | 'source'>) => Promise<SourceRead>;
