import { AppError } from '../membership/errors.js';
import { mergeSyncPlan } from '../membership/plan-sync.js';
import type {
  ApplyReport,
  ChangeAction,
  Group,
  KantataUser,
  PersonOutcome,
  PersonRef,
  Plan,
} from '../membership/types.js';
import { auditEntryFor } from './audit-entry.js';
import { type ChangeServiceDeps, DEFAULT_SYNC_INTERVAL_MS } from './change-service-deps.js';
import { describeDecided } from './describe-decided.js';
import {
  endsWriteFor,
  isEmptyEndsWrite,
  isQuietExpiryRetry,
  REPORT_EXPIRY_FAILURE_AFTER,
} from './expiry/ends-write.js';
import type { EndsWrite } from './expiry/types.js';
import { standingSyncOf } from './standing-sync/keep.js';
import {
  type Actor,
  type AuditEntry,
  type AuditEvent,
  type Change,
  type ChangeStatus,
  type Lease,
  owedOnDecision,
} from './types.js';

export type ApplyHooks = { onProgress?(progress: { done: number; total: number }): void };

export type AppliedChange = { change: Change; report: ApplyReport };

export type RunApplyOptions = {
  /** Who applied it (the requester for an approved request). */
  by: Actor;
  approver?: Actor;
  hooks?: ApplyHooks;
  resume?: boolean;
};

type AuditDetails = Omit<Parameters<typeof auditEntryFor>[2], 'id' | 'at'>;

/**
 * The steps every path of the change service is made of: load, move atomically, audit, plan, apply.
 * Kept apart from the public API so that each path reads as a short list of steps.
 */
export function createChangeSteps(
  deps: ChangeServiceDeps & { newId: () => string; owner: string; leaseMs: number },
) {
  const { membership, store, clock, newId, owner, leaseMs } = deps;
  const intervalMs = deps.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS;
  const nowIso = () => clock.now().toISOString();
  /** Changes this process is applying right now: never taken over by its own takeover job. */
  const runningHere = new Set<string>();

  function newLease(): Lease {
    const now = clock.now();
    return { owner, until: new Date(now.getTime() + leaseMs).toISOString(), renewedAt: now.toISOString() };
  }

  /**
   * Runs `work` holding the lease of `changeId`, renewing it every third of its length. A renewal that
   * fails (the store is down) is not an error of the work: the lease then lapses, and once the store is
   * back the change is taken over (by this process or another) and settled from what Kantata holds.
   */
  async function withLease<T>(changeId: string, work: () => Promise<T>): Promise<T> {
    if (runningHere.has(changeId)) return work();
    runningHere.add(changeId);
    const timer = setInterval(
      () => void store.renewLease(changeId, newLease()).catch(() => undefined),
      Math.max(10, Math.floor(leaseMs / 3)),
    );
    timer.unref();
    try {
      return await work();
    } finally {
      clearInterval(timer);
      runningHere.delete(changeId);
    }
  }

  function auditRow(change: Change, event: AuditEvent, details: AuditDetails): AuditEntry {
    return auditEntryFor(change, event, { id: newId(), at: clock.now(), ...details });
  }

  async function audit(change: Change, event: AuditEvent, details: AuditDetails): Promise<void> {
    await store.appendAudit(auditRow(change, event, details));
  }

  async function load(id: string): Promise<Change> {
    const change = await store.getChange(id);
    if (!change) throw new AppError('change_not_found', `No change with id ${id}`, { changeId: id });
    return change;
  }

  /** Moves a change or explains, with who and when, why it could not be moved. */
  async function transition(
    id: string,
    expected: readonly ChangeStatus[],
    next: ChangeStatus,
    patch: Partial<Omit<Change, 'id' | 'status'>> = {},
    auditEntry?: AuditEntry,
    ends?: EndsWrite,
  ): Promise<Change> {
    const extras = {
      ...(auditEntry ? { audit: auditEntry } : {}),
      ...(ends && !isEmptyEndsWrite(ends) ? { ends } : {}),
    };
    const result = await store.transitionChange(
      id,
      expected,
      next,
      { ...patch, updatedAt: nowIso() },
      Object.keys(extras).length > 0 ? extras : undefined,
    );
    if (result.ok) return result.change;
    if (!result.current) throw new AppError('change_not_found', `No change with id ${id}`, { changeId: id });
    throw alreadyDecided(result.current);
  }

  /** The same refusal `transition` gives, before any side effect (a claimed key, a Kantata read). */
  function requireStatus(change: Change, expected: readonly ChangeStatus[]): void {
    if (!expected.includes(change.status)) throw alreadyDecided(change);
  }

  function isOverdue(change: Change): boolean {
    return change.status === 'pending' && change.expiresAt !== undefined && change.expiresAt <= nowIso();
  }

  /**
   * Expires one overdue request. Returns the expired change if this caller moved it (and wrote the audit
   * row), or null if someone else moved it first (another replica's sweep, a concurrent click).
   */
  async function expire(change: Change): Promise<Change | null> {
    const result = await store.transitionChange(change.id, ['pending'], 'expired', {
      updatedAt: nowIso(),
      outbox: owedOnDecision(),
    });
    if (!result.ok) return null;
    await audit(result.change, 'expired', { actor: result.change.requestedBy });
    return result.change;
  }

  async function plan(action: Exclude<ChangeAction, 'sync'>, group: Group, refs: PersonRef[]): Promise<Plan> {
    return action === 'add' ? membership.planAdd(group, refs) : membership.planRemove(group, refs);
  }

  /**
   * A sync of exact lists against Kantata's current state: of `add`, who is not a member now; of `remove`,
   * who still is (an approved sync planned again, an Undo of a sync). The source is not read again: the
   * approver approved these people.
   */
  async function planBoth(
    group: Group,
    add: readonly KantataUser[],
    remove: readonly KantataUser[],
    carried: Pick<Plan, 'kept' | 'addOnly'> = {},
  ): Promise<Plan> {
    const [addPlan, removePlan] = await Promise.all([
      membership.planAdd(group, add.map(idRef)),
      membership.planRemove(group, remove.map(idRef)),
    ]);
    return mergeSyncPlan(addPlan, removePlan, carried);
  }

  /** Plans again the people an earlier plan of the same change named. */
  function planAgain(change: Change): Promise<Plan> {
    const { plan: earlier } = change;
    if (change.action === 'sync') {
      return planBoth(change.group, earlier.toChange, earlier.toRemove ?? [], {
        ...(earlier.kept ? { kept: earlier.kept } : {}),
        ...(earlier.addOnly !== undefined ? { addOnly: earlier.addOnly } : {}),
      });
    }
    return plan(change.action, change.group, earlier.toChange.map(idRef));
  }

  /**
   * Applies a change already in `applying`, journaling every batch, then records the final status.
   * `resume`: finishing a change another run left `applying` (Kantata is read again, nothing repeated).
   */
  function runApply(change: Change, options: RunApplyOptions): Promise<AppliedChange> {
    return withLease(change.id, () => runApplyHoldingLease(change, options));
  }

  async function runApplyHoldingLease(change: Change, options: RunApplyOptions): Promise<AppliedChange> {
    const { by, approver, hooks = {}, resume = false } = options;
    const recorded = change.outcomes ?? [];
    const recordedIds = new Set(recorded.map((outcome) => outcome.user.id));
    const notRecorded = (u: KantataUser) => !recordedIds.has(u.id);
    const remaining: Plan = {
      ...change.plan,
      toChange: change.plan.toChange.filter(notRecorded),
      ...(change.plan.toRemove ? { toRemove: change.plan.toRemove.filter(notRecorded) } : {}),
    };
    const total = workCount(change.plan);
    let applied: { outcomes: PersonOutcome[] };
    try {
      applied =
        workCount(remaining) === 0
          ? { outcomes: [] }
          : await membership.applyPlan(remaining, {
              resume,
              onProgress: (progress) => hooks.onProgress?.({ done: progress.done + recorded.length, total }),
              onBatch: (outcomes) => store.appendOutcomes(change.id, outcomes),
            });
    } catch (error) {
      const report = (error as AppError).detail?.report as ApplyReport | undefined;
      throw storageLost(change, error, [...recorded, ...(report?.outcomes ?? [])]);
    }
    try {
      return await settle(change, { by, approver, resume }, [...recorded, ...applied.outcomes]);
    } catch (error) {
      throw storageLost(change, error, [...recorded, ...applied.outcomes]);
    }
  }

  /** Records the outcome of an apply whose Kantata work is done: final status, report, audit row. */
  async function settle(
    change: Change,
    options: Pick<RunApplyOptions, 'by' | 'approver' | 'resume'>,
    applied: PersonOutcome[],
  ): Promise<AppliedChange> {
    const { by, approver, resume } = options;
    const outcomes = mergeOutcomes(applied, change.plan);
    const report: ApplyReport = {
      action: change.action,
      group: change.group,
      outcomes,
      unresolved: change.plan.unresolved,
    };
    const finalStatus = finalStatusOf(outcomes);
    // The recorded ends move with the outcome, in the same write as the final status (SPEC §4.6).
    const ends = await endsOf(change, outcomes);
    // The original learns it was undone before the undo is final, so whoever sees the undo applied also
    // sees the original marked (a crash in between is finished by resume, which comes through here again).
    // An undo that changed nobody leaves the original undoable: the next attempt claims a fresh key.
    if (change.undoOf) {
      const original = await store.getChange(change.undoOf);
      await store.updateChange(
        change.undoOf,
        finalStatus === 'failed'
          ? { undoFailures: (original?.undoFailures ?? 0) + 1, updatedAt: nowIso() }
          : { undoneBy: change.id, updatedAt: nowIso() },
      );
    }
    // A `--keep` sync becomes the group's standing sync before it is final, as the original of an undo
    // learns of it: a crash in between is finished by resume, which comes through here again (a replace).
    if (change.keep && finalStatus !== 'failed') {
      const sync = standingSyncOf(change, { finalStatus, outcomes, by, now: clock.now(), intervalMs });
      if (sync) await store.saveStandingSync(sync);
    }
    // The audit row is committed with the final status, in one write: a crash leaves both or neither.
    const earliestEnd = ends?.set.map((end) => end.endsAt).sort()[0];
    const row = auditRow(change, resume ? 'recovered' : finalStatus, {
      actor: by,
      approver,
      outcomes,
      ...(earliestEnd ? { endsAt: earliestEnd } : {}),
    });
    const done = await transition(
      change.id,
      ['applying'],
      finalStatus,
      {
        report,
        // The journal has served its purpose once the report holds every outcome; the store keeps one copy.
        outcomes: [],
        appliedAt: nowIso(),
        ...(isQuietExpiryRetry(change, outcomes, REPORT_EXPIRY_FAILURE_AFTER)
          ? {}
          : { notification: { status: 'pending' as const, attempts: 0 } }),
        // An approved request also owes its card, thread and requester the outcome.
        ...(change.decidedBy ? { outbox: owedOnDecision() } : {}),
      },
      row,
      ends,
    );
    deps.results?.finished({ action: done.action, status: finalStatus, outcomes });
    return { change: done, report };
  }

  /** The ends this change's outcome writes; read only when someone in it may have one. */
  async function endsOf(change: Change, outcomes: PersonOutcome[]): Promise<EndsWrite | undefined> {
    const people = outcomes.filter((o) => o.outcome !== 'failed' || change.expiry).map((o) => o.user.id);
    if (people.length === 0) return undefined;
    const current = await store.getEnds(change.group.id, people);
    return endsWriteFor(change, outcomes, current, clock.now());
  }

  /**
   * The second half of an approval: plan again against Kantata's current state (people who became
   * members meanwhile are skipped), then apply. Also finishes an approval a restart cut off.
   */
  function applyApproved(approved: Change, approver: Actor, hooks: ApplyHooks): Promise<AppliedChange> {
    return withLease(approved.id, () => applyApprovedHoldingLease(approved, approver, hooks));
  }

  async function applyApprovedHoldingLease(
    approved: Change,
    approver: Actor,
    hooks: ApplyHooks,
  ): Promise<AppliedChange> {
    let fresh: Plan;
    try {
      fresh = await planAgain(approved);
    } catch (error) {
      // Kantata could not be read, so nothing was applied: record that plainly, person by person.
      const reason = `Nothing was changed: ${error instanceof Error ? error.message : String(error)}`;
      const outcomes = [...approved.plan.toChange, ...(approved.plan.toRemove ?? [])].map(
        (user): PersonOutcome => ({ user, outcome: 'failed', reason }),
      );
      const report: ApplyReport = {
        action: approved.action,
        group: approved.group,
        outcomes,
        unresolved: approved.plan.unresolved,
      };
      const failed = await transition(
        approved.id,
        ['approved'],
        'failed',
        { report, appliedAt: nowIso(), outbox: owedOnDecision() },
        auditRow(approved, 'failed', { actor: approved.requestedBy, approver, outcomes }),
      );
      deps.results?.finished({ action: failed.action, status: 'failed', outcomes });
      throw error;
    }
    const freshIds = new Set(
      [...fresh.toChange, ...(fresh.toRemove ?? []), ...fresh.unchanged].map((u) => u.id),
    );
    const replanned: Plan = {
      ...fresh,
      // Those the request found unchanged stay in the report, so it accounts for everyone named.
      unchanged: [...fresh.unchanged, ...approved.plan.unchanged.filter((u) => !freshIds.has(u.id))],
      unresolved: [...approved.plan.unresolved, ...fresh.unresolved],
    };
    const applying = await transition(approved.id, ['approved'], 'applying', {
      plan: replanned,
      appliedBy: approver,
      lease: newLease(),
    });
    return runApply(applying, { by: approved.requestedBy, approver, hooks });
  }

  return {
    nowIso,
    audit,
    load,
    transition,
    requireStatus,
    isOverdue,
    expire,
    plan,
    planBoth,
    runApply,
    applyApproved,
    newLease,
    isRunningHere: (changeId: string) => runningHere.has(changeId),
  };
}

/** The refusal for a change that is no longer where the caller expected: who moved it, and when. */
function alreadyDecided(change: Change): AppError {
  const by = change.decidedBy ?? change.appliedBy;
  const at = change.decidedAt ?? change.appliedAt ?? change.updatedAt;
  return new AppError('change_already_decided', describeDecided(change), {
    status: change.status,
    changeId: change.id,
    ...(by ? { decidedBy: by, by: by.name ?? by.slackUserId, bySlackUserId: by.slackUserId } : {}),
    decidedAt: at,
    at,
  });
}

/**
 * The storage failed after Kantata had been asked (the journal or the final record could not be written):
 * `store_unavailable` with what Kantata holds so far, so the clicker is told at once. The change stays
 * `applying`; its lease lapses and, once the storage is back, a takeover settles it (outcome recorded,
 * announced, audited). Any other error passes through unchanged.
 */
function storageLost(change: Change, error: unknown, outcomes: readonly PersonOutcome[]): unknown {
  if (!(error instanceof AppError) || error.code !== 'store_unavailable') return error;
  const done = outcomes.filter((o) => o.outcome === 'added' || o.outcome === 'removed').length;
  return new AppError(
    'store_unavailable',
    `Storage failed while applying change ${change.id}`,
    { changeId: change.id, done, total: workCount(change.plan) },
    { cause: error },
  );
}

/** How many people applying the plan changes: both directions of a sync. */
export function workCount(plan: Pick<Plan, 'toChange' | 'toRemove'>): number {
  return plan.toChange.length + (plan.toRemove?.length ?? 0);
}

function idRef(user: KantataUser): PersonRef {
  return { kind: 'kantata_id', id: user.id, label: user.name };
}

/** Same person: the same Slack user, or two Slack users linked to the same Kantata user. */
export function isSamePerson(a: Actor, b: Actor): boolean {
  if (a.slackUserId === b.slackUserId) return true;
  return a.kantataUserId !== undefined && a.kantataUserId === b.kantataUserId;
}

function finalStatusOf(outcomes: readonly PersonOutcome[]): 'applied' | 'partially_applied' | 'failed' {
  const failed = outcomes.filter((o) => o.outcome === 'failed').length;
  const changed = outcomes.filter((o) => o.outcome === 'added' || o.outcome === 'removed').length;
  return failed === 0 ? 'applied' : changed > 0 ? 'partially_applied' : 'failed';
}

/** Adds the people the plan found unchanged, so the report accounts for everyone the change named. */
function mergeOutcomes(outcomes: PersonOutcome[], plan: Plan): PersonOutcome[] {
  const seen = new Set(outcomes.map((o) => o.user.id));
  const unchangedKind = plan.action === 'remove' ? 'not_member' : 'already_member';
  const unchanged = plan.unchanged
    .filter((user) => !seen.has(user.id) && seen.add(user.id))
    .map((user): PersonOutcome => ({ user, outcome: unchangedKind }));
  return [...outcomes, ...unchanged];
}
