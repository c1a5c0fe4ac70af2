import { createHash } from 'node:crypto';
import { AppError } from '../../membership/errors.js';
import type { Plan } from '../../membership/types.js';
import type { ChangeServiceDeps } from '../change-service-deps.js';
import type { AppliedChange, createChangeSteps } from '../change-steps.js';
import { hasWork } from '../expiry/has-work.js';
import type { ActingUser } from '../policy.js';
import type { Actor, Change } from '../types.js';
import type { SourceReader, StandingSync, StandingSyncStore, SyncRun, SyncRunPatch } from './types.js';

/** Who applies a standing sync's runs: the bot itself, on the standing order of an administrator. */
export const STANDING_SYNC_ACTOR: Actor = { slackUserId: 'standing-sync', name: 'Standing sync' };

/** How long a replica may run one sync before another takes it over (a run is a few Kantata calls). */
const RUN_CLAIM_MS = 10 * 60_000;
/** Syncs run per sweep, so one sweep of many syncs does not hold the job for hours. */
const RUNS_PER_SWEEP = 20;

export type StandingSyncDeps = ChangeServiceDeps & {
  store: ChangeServiceDeps['store'] & StandingSyncStore;
  newId: () => string;
  owner: string;
  /** SYNC_INTERVAL. */
  syncIntervalMs: number;
  /** SYNC_MAX_REMOVALS: a run removing more waits for an administrator. */
  syncMaxRemovals: number;
};

/** What one run did, for the transport to announce: a braked run needs its card posted. */
export type SyncRunResult = { sync: StandingSync; run: SyncRun; applied?: AppliedChange; braked?: Change };

/**
 * The id of a run's change: one per sync and scheduled instant, so a run taken over after a crash finds
 * the change the first attempt made instead of making a second one.
 */
export function syncRunId(sync: Pick<StandingSync, 'groupId' | 'nextRunAt'>): string {
  return `s${createHash('sha256').update(`${sync.groupId}|${sync.nextRunAt}`).digest('base64url').slice(0, 15)}`;
}

/**
 * Standing syncs (SPEC §4.7): kept from an applied `--keep` sync, run every SYNC_INTERVAL by whichever
 * replica claims the run (each run happens once), braked when a run would remove more than
 * SYNC_MAX_REMOVALS people or the source is empty, paused when the source is gone.
 */
export function createStandingSyncOps(deps: StandingSyncDeps, steps: ReturnType<typeof createChangeSteps>) {
  const { store, clock, membership } = deps;
  const { nowIso, runApply, newLease, audit, load, transition } = steps;

  /** Why a run with this plan waits for an administrator (SPEC §4.7 the brake), or null if it may go ahead. */
  function brakeOf(plan: Plan, sourceSize: number): NonNullable<Change['standingSync']>['brake'] | null {
    const removals = plan.toRemove?.length ?? 0;
    if (sourceSize === 0) return { reason: 'empty_source', removals };
    if (removals > deps.syncMaxRemovals) return { reason: 'too_many_removals', removals };
    return null;
  }

  /** Holds a run for an administrator: its request (the card is posted by the transport) and audit row. */
  async function hold(sync: StandingSync, plan: Plan, brake: NonNullable<Change['standingSync']>['brake']) {
    const change = newRunChange(sync, plan, 'pending', { groupId: sync.groupId, brake });
    await store.createChange(change);
    await audit(change, 'requested', { actor: STANDING_SYNC_ACTOR });
    return change;
  }

  function nextRunAfter(scheduled: string): string {
    const now = clock.now().getTime();
    let next = Date.parse(scheduled) + deps.syncIntervalMs;
    // A bot that was stopped for a day runs once when it is back, not 24 times.
    if (next <= now) next = now + deps.syncIntervalMs;
    return new Date(next).toISOString();
  }

  async function finish(
    sync: StandingSync,
    run: SyncRun,
    extra: Omit<SyncRunPatch, 'nextRunAt' | 'lastRun'> = {},
  ) {
    await store.finishSyncRun(sync.groupId, deps.owner, {
      nextRunAt: nextRunAfter(sync.nextRunAt),
      lastRun: run,
      ...extra,
    });
    return run;
  }

  /** A run whose change the first attempt already made (taken over after a crash): its outcome. */
  function runOfChange(change: Change): SyncRun {
    const at = nowIso();
    if (change.status === 'pending') return { at, outcome: 'braked', changeId: change.id };
    if (change.status === 'applied' || change.status === 'partially_applied' || change.status === 'failed') {
      return { at, outcome: change.status, changeId: change.id, ...counts(change) };
    }
    // Still being applied (its own lease decides who finishes it) or decided otherwise.
    return { at, outcome: 'waiting', changeId: change.id };
  }

  function newRunChange(
    sync: StandingSync,
    plan: Plan,
    status: 'pending' | 'applying',
    brake?: Change['standingSync'],
  ): Change {
    const now = nowIso();
    return {
      id: syncRunId(sync),
      status,
      action: 'sync',
      group: plan.group,
      plan,
      requestedBy: STANDING_SYNC_ACTOR,
      reason: `Standing sync from ${sync.source.label}`,
      syncSource: sync.source,
      standingSync: brake ?? { groupId: sync.groupId },
      createdAt: now,
      updatedAt: now,
      ...(status === 'pending'
        ? { expiresAt: new Date(clock.now().getTime() + deps.requestTtlMs).toISOString() }
        : { appliedBy: STANDING_SYNC_ACTOR, lease: newLease() }),
    };
  }

  async function runOne(sync: StandingSync, readSource: SourceReader): Promise<SyncRunResult> {
    const at = nowIso();
    if (sync.waitingFor) {
      const waiting = await store.getChange(sync.waitingFor);
      // Pending, or applied by an administrator right now: this run waits for that one to finish.
      if (waiting && ['pending', 'approved', 'applying'].includes(waiting.status)) {
        return { sync, run: await finish(sync, { at, outcome: 'waiting', changeId: waiting.id }) };
      }
    }
    const earlier = await store.getChange(syncRunId(sync));
    if (earlier) return { sync, run: await finish(sync, runOfChange(earlier), { waitingFor: null }) };
    const read = await readSource(sync);
    if (!read.ok) {
      if (read.problem === 'deleted') {
        const run: SyncRun = { at, outcome: 'paused', detail: read.detail };
        return {
          sync,
          run: await finish(sync, run, { paused: { at, reason: read.detail }, waitingFor: null }),
        };
      }
      // Held like the other brakes (SPEC §4.7): nothing was planned, Apply this run reads the source again.
      const change = await hold(sync, emptySyncPlan(sync), {
        reason: 'unreadable_source',
        removals: 0,
        detail: read.detail,
      });
      const run: SyncRun = { at, outcome: 'unreadable', changeId: change.id, detail: read.detail };
      return { sync, run: await finish(sync, run, { waitingFor: change.id }), braked: change };
    }
    const group = { id: sync.groupId, name: sync.groupName };
    let plan: Plan;
    try {
      plan = await membership.planSync(group, read.people, { addOnly: sync.addOnly });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return { sync, run: await finish(sync, { at, outcome: 'failed', detail }, { waitingFor: null }) };
    }
    if (!hasWork({ action: 'sync', plan })) {
      return { sync, run: await finish(sync, { at, outcome: 'unchanged' }, { waitingFor: null }) };
    }
    const brake = brakeOf(plan, read.people.length);
    if (brake) {
      const change = await hold(sync, plan, brake);
      const run: SyncRun = {
        at,
        outcome: 'braked',
        changeId: change.id,
        added: plan.toChange.length,
        removed: brake.removals,
      };
      return { sync, run: await finish(sync, run, { waitingFor: change.id }), braked: change };
    }
    const change = newRunChange(sync, plan, 'applying');
    await store.createChange(change);
    const applied = await runApply(change, { by: STANDING_SYNC_ACTOR });
    const run: SyncRun = {
      at,
      outcome: statusOutcome(applied.change),
      changeId: change.id,
      ...counts(applied.change),
    };
    return { sync, run: await finish(sync, run, { waitingFor: null }), applied };
  }

  return {
    /**
     * Runs every standing sync that is due, each claimed first so that with several replicas each run
     * happens once. `readSource` reads the source now (the transport knows Slack). A sync whose run throws
     * keeps its claim until it lapses, and is then run again.
     */
    async runDueSyncs(
      readSource: SourceReader,
      hooks: { onError?(groupId: string, error: unknown): void; isStopped?(): boolean } = {},
    ): Promise<SyncRunResult[]> {
      const results: SyncRunResult[] = [];
      for (let i = 0; i < RUNS_PER_SWEEP && !hooks.isStopped?.(); i += 1) {
        const now = clock.now();
        const sync = await store.claimDueSync({
          now: now.toISOString(),
          owner: deps.owner,
          until: new Date(now.getTime() + RUN_CLAIM_MS).toISOString(),
        });
        if (!sync) break;
        try {
          results.push(await runOne(sync, readSource));
        } catch (error) {
          hooks.onError?.(sync.groupId, error);
        }
      }
      return results;
    },

    listStandingSyncs: () => store.listStandingSyncs(),

    /** `/groups unsync <group>`: administrators stop a group's standing sync. */
    async stopStandingSync(groupId: string, by: ActingUser): Promise<StandingSync> {
      if (!by.isAdmin || by.isGuest) {
        throw new AppError('not_authorized', 'Only an administrator can stop a standing sync', {
          reason: 'standing_sync',
        });
      }
      const sync = await store.getStandingSync(groupId);
      if (!sync || !(await store.removeStandingSync(groupId))) {
        throw new AppError('change_not_found', 'That group has no standing sync', {
          groupId,
          reason: 'no_standing_sync',
        });
      }
      return sync;
    },

    /**
     * Apply this run on a run held because its source could not be read: the source is read again now and
     * planned (an unresolved person never causes a removal). Still unreadable, or now tripping the brake
     * itself (empty, too many removals: the card is redrawn with that plan for an administrator to check),
     * the run stays held and nothing changes (`held_run_not_applied`). Otherwise the plan to approve.
     */
    async planHeldRun(change: Change, readSource: SourceReader | undefined): Promise<Plan> {
      const unreadable = (detail: string) =>
        new AppError('held_run_not_applied', 'The source still cannot be read', {
          changeId: change.id,
          reason: 'unreadable_source',
          detail,
        });
      const groupId = change.standingSync?.groupId ?? change.group.id;
      if (!change.syncSource) throw unreadable('The run does not say which source it follows.');
      if (!readSource) throw unreadable('This client cannot read the source.');
      const read = await readSource({ groupId, source: change.syncSource });
      if (!read.ok) throw unreadable(read.detail);
      const plan = await membership.planSync(change.group, read.people, {
        addOnly: change.plan.addOnly ?? false,
      });
      const brake = brakeOf(plan, read.people.length);
      if (!brake) return plan;
      const held = await transition(change.id, ['pending'], 'pending', {
        plan,
        standingSync: { groupId, brake },
      });
      throw new AppError('held_run_not_applied', 'The run now trips the brake', {
        changeId: held.id,
        reason: brake.reason,
      });
    },

    /** The change a braked run is waiting on, if any (for `/groups syncs`). */
    waitingChange: (sync: StandingSync) => (sync.waitingFor ? load(sync.waitingFor) : Promise.resolve(null)),
  };
}

/** A run that planned nothing (its source could not be read). */
function emptySyncPlan(sync: StandingSync): Plan {
  const group = { id: sync.groupId, name: sync.groupName };
  return {
    action: 'sync',
    group,
    toChange: [],
    toRemove: [],
    unchanged: [],
    unresolved: [],
    addOnly: sync.addOnly,
  };
}

function statusOutcome(change: Change): SyncRun['outcome'] {
  if (change.status === 'applied' || change.status === 'partially_applied' || change.status === 'failed')
    return change.status;
  return 'waiting';
}

function counts(change: Change): Pick<SyncRun, 'added' | 'removed'> {
  const outcomes = change.report?.outcomes ?? [];
  return {
    added: outcomes.filter((o) => o.outcome === 'added').length,
    removed: outcomes.filter((o) => o.outcome === 'removed').length,
  };
}
