import { randomBytes } from 'node:crypto';
import { AppError } from '../membership/errors.js';
import type {
  ApplyProgress,
  ApplyReport,
  ChangeAction,
  Group,
  PersonOutcome,
  PersonRef,
  Plan,
} from '../membership/types.js';
import { auditEntryFor } from './audit-entry.js';
import { type ActingUser, type ApprovalPolicy, allowedActions, canDecide } from './policy.js';
import type { AuditLog, ChangeStore, Clock, ProcessedKeys } from './ports.js';
import { describeDecided } from './describe-decided.js';
import type { Actor, AuditEvent, Change, ChangeStatus } from './types.js';

/** What the change service needs of the membership core (see `createMembershipService`). */
export type MembershipOps = {
  planAdd(group: Group, refs: PersonRef[]): Promise<Plan>;
  planRemove(group: Group, refs: PersonRef[]): Promise<Plan>;
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
  store: ChangeStore & AuditLog & ProcessedKeys;
  clock: Clock;
  policy: ApprovalPolicy;
  requestTtlMs: number;
  undoWindowMs: number;
  newId?: () => string;
};

export type ApplyHooks = { onProgress?(progress: ApplyProgress): void };

export type AppliedChange = { change: Change; report: ApplyReport };

/** Short, unguessable ids: they travel in button values and are typed by nobody. */
export function newChangeId(): string {
  return randomBytes(9).toString('base64url');
}

/**
 * The life of a change (SPEC §4.1, §4.3, §4.4 undo): preview, apply, request, approve, deny, cancel,
 * expire, undo, and finishing a change a crash cut off. Every step is an atomic status transition in
 * the store, so a double click, a Slack retry or a second replica can never take the same step twice.
 */
export function createChangeService(deps: ChangeServiceDeps) {
  const { membership, store, clock } = deps;
  const newId = deps.newId ?? newChangeId;
  const nowIso = () => clock.now().toISOString();

  async function audit(change: Change, event: AuditEvent, details: Omit<Parameters<typeof auditEntryFor>[2], 'id' | 'at'>) {
    await store.appendAudit(auditEntryFor(change, event, { id: newId(), at: clock.now(), ...details }));
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
  ): Promise<Change> {
    const result = await store.transitionChange(id, expected, next, { ...patch, updatedAt: nowIso() });
    if (result.ok) return result.change;
    if (!result.current) throw new AppError('change_not_found', `No change with id ${id}`, { changeId: id });
    throw new AppError('change_already_decided', describeDecided(result.current), {
      status: result.current.status,
      ...decisionFacts(result.current),
    });
  }

  async function plan(action: ChangeAction, group: Group, refs: PersonRef[]): Promise<Plan> {
    return action === 'add' ? membership.planAdd(group, refs) : membership.planRemove(group, refs);
  }

  /** Applies a change already in `applying`, journaling every batch, then records the final status. */
  async function runApply(
    change: Change,
    by: Actor,
    approver: Actor | undefined,
    hooks: ApplyHooks,
    resume: boolean,
  ): Promise<AppliedChange> {
    const recorded = change.outcomes ?? [];
    const recordedIds = new Set(recorded.map((outcome) => outcome.user.id));
    const remaining: Plan = { ...change.plan, toChange: change.plan.toChange.filter((u) => !recordedIds.has(u.id)) };
    const applied =
      remaining.toChange.length === 0
        ? { ...remaining, outcomes: [] as PersonOutcome[] }
        : await membership.applyPlan(remaining, {
            resume,
            onProgress: (progress) =>
              hooks.onProgress?.({ done: progress.done + recorded.length, total: change.plan.toChange.length }),
            onBatch: (outcomes) => store.appendOutcomes(change.id, outcomes),
          });
    const outcomes = mergeOutcomes([...recorded, ...applied.outcomes], change.plan);
    const report: ApplyReport = {
      action: change.action,
      group: change.group,
      outcomes,
      unresolved: change.plan.unresolved,
    };
    const failed = outcomes.filter((o) => o.outcome === 'failed').length;
    const changed = outcomes.filter((o) => o.outcome === 'added' || o.outcome === 'removed').length;
    const finalStatus: ChangeStatus = failed === 0 ? 'applied' : changed > 0 ? 'partially_applied' : 'failed';
    const done = await transition(change.id, ['applying'], finalStatus, {
      report,
      outcomes,
      appliedAt: nowIso(),
      notification: { status: 'pending', attempts: 0 },
    });
    await audit(done, resume ? 'recovered' : finalStatus, { actor: by, approver, outcomes });
    if (done.undoOf) await store.updateChange(done.undoOf, { undoneBy: done.id, updatedAt: nowIso() });
    return { change: done, report };
  }

  return {
    /** What this person may do with a preview under the configured policy. */
    allowedActions: (by: ActingUser) => allowedActions(deps.policy, by),

    /** Plans a change against Kantata's current state and stores it as a preview (nothing changes yet). */
    async previewChange(input: {
      by: ActingUser;
      action: ChangeAction;
      group: Group;
      people: PersonRef[];
      reason?: string;
      undoOf?: string;
    }): Promise<Change> {
      const allowed = allowedActions(deps.policy, input.by);
      if (input.by.isGuest) throw new AppError('guest_not_allowed', 'Guests cannot change groups');
      if (!allowed.canApply && !allowed.canRequest) {
        throw new AppError('policy_forbids', 'Only administrators can change groups under this policy', {
          policy: deps.policy,
        });
      }
      const preview = await plan(input.action, input.group, input.people);
      const now = nowIso();
      const change: Change = {
        id: newId(),
        status: 'previewed',
        action: input.action,
        group: preview.group,
        plan: preview,
        requestedBy: input.by.actor,
        ...(input.reason ? { reason: input.reason } : {}),
        ...(input.undoOf ? { undoOf: input.undoOf } : {}),
        createdAt: now,
        updatedAt: now,
      };
      await store.createChange(change);
      return change;
    },

    /** Applies a preview directly (administrators, under `admins-direct` or `admins-only`). */
    async applyChange(id: string, by: ActingUser, hooks: ApplyHooks = {}): Promise<AppliedChange> {
      const change = await load(id);
      if (!allowedActions(deps.policy, by).canApply) {
        throw new AppError('not_authorized', 'Only an administrator can apply a change directly', {
          policy: deps.policy,
        });
      }
      if (change.requestedBy.slackUserId !== by.actor.slackUserId) {
        throw new AppError('not_authorized', 'Only the person who made this preview can apply it');
      }
      if (change.plan.toChange.length === 0) throw new AppError('nothing_to_change', 'Nothing to change');
      if (change.undoOf && !(await store.claimKey(`undo:${change.undoOf}`, 365 * 86_400_000))) {
        throw new AppError('change_already_decided', 'That change has already been undone', { status: 'undone' });
      }
      const applying = await transition(id, ['previewed'], 'applying', { appliedBy: by.actor });
      return runApply(applying, by.actor, undefined, hooks, false);
    },

    /** Turns a preview into a pending request for an administrator. */
    async requestChange(id: string, by: ActingUser): Promise<Change> {
      const change = await load(id);
      if (change.requestedBy.slackUserId !== by.actor.slackUserId) {
        throw new AppError('not_authorized', 'Only the person who made this preview can send it for approval');
      }
      if (!allowedActions(deps.policy, by).canRequest) {
        throw new AppError('policy_forbids', 'Requests are not allowed under this policy', { policy: deps.policy });
      }
      if (change.plan.toChange.length === 0) throw new AppError('nothing_to_change', 'Nothing to change');
      const expiresAt = new Date(clock.now().getTime() + deps.requestTtlMs).toISOString();
      const pending = await transition(id, ['previewed'], 'pending', { expiresAt });
      await audit(pending, 'requested', { actor: by.actor });
      return pending;
    },

    /** An administrator approves a request: it is planned again against Kantata's current state, then applied. */
    async approveRequest(id: string, by: ActingUser, hooks: ApplyHooks = {}): Promise<AppliedChange> {
      const change = await load(id);
      if (by.isGuest) throw new AppError('guest_not_allowed', 'Guests cannot approve requests');
      if (!canDecide(by)) throw new AppError('not_authorized', 'Only an administrator can approve requests');
      if (change.requestedBy.slackUserId === by.actor.slackUserId) {
        throw new AppError('self_approval_forbidden', 'You cannot approve your own request');
      }
      if (change.status === 'pending' && change.expiresAt && change.expiresAt <= nowIso()) {
        await transition(id, ['pending'], 'expired').catch(() => undefined);
        throw new AppError('change_expired', 'This request has expired', { expiredAt: change.expiresAt });
      }
      const approved = await transition(id, ['pending'], 'approved', { decidedBy: by.actor, decidedAt: nowIso() });
      await audit(approved, 'approved', { actor: change.requestedBy, approver: by.actor });
      const people: PersonRef[] = approved.plan.toChange.map((u) => ({ kind: 'kantata_id', id: u.id, label: u.name }));
      let fresh: Plan;
      try {
        fresh = await plan(approved.action, approved.group, people);
      } catch (error) {
        // Kantata could not be read: the approval stands and nothing was applied; say so plainly.
        await transition(id, ['approved'], 'failed', {
          report: { action: approved.action, group: approved.group, outcomes: [], unresolved: approved.plan.unresolved },
        });
        throw error;
      }
      const replanned: Plan = { ...fresh, unresolved: [...approved.plan.unresolved, ...fresh.unresolved] };
      const applying = await transition(id, ['approved'], 'applying', { plan: replanned, appliedBy: by.actor });
      return runApply(applying, change.requestedBy, by.actor, hooks, false);
    },

    /** An administrator denies a request, with an optional reason. */
    async denyRequest(id: string, by: ActingUser, reason?: string): Promise<Change> {
      const change = await load(id);
      if (!canDecide(by)) throw new AppError('not_authorized', 'Only an administrator can deny requests');
      if (change.requestedBy.slackUserId === by.actor.slackUserId) {
        throw new AppError('self_approval_forbidden', 'You cannot decide your own request; cancel it instead');
      }
      const denied = await transition(id, ['pending'], 'denied', {
        decidedBy: by.actor,
        decidedAt: nowIso(),
        ...(reason ? { decisionReason: reason } : {}),
      });
      await audit(denied, 'denied', { actor: change.requestedBy, approver: by.actor, reason: reason ?? change.reason });
      return denied;
    },

    /** The requester withdraws a preview or a pending request. */
    async cancelChange(id: string, by: ActingUser): Promise<Change> {
      const change = await load(id);
      if (change.requestedBy.slackUserId !== by.actor.slackUserId) {
        throw new AppError('not_authorized', 'Only the requester can cancel this');
      }
      const wasPending = change.status === 'pending';
      const cancelled = await transition(id, ['previewed', 'pending'], 'cancelled', { decidedAt: nowIso() });
      if (wasPending) await audit(cancelled, 'cancelled', { actor: by.actor });
      return cancelled;
    },

    /** Expires every pending request past its TTL (also those that expired while the bot was stopped). */
    async expireOverdue(): Promise<Change[]> {
      const now = nowIso();
      const pending = await store.listChanges({ statuses: ['pending'] });
      const expired: Change[] = [];
      for (const change of pending) {
        if (!change.expiresAt || change.expiresAt > now) continue;
        const result = await store.transitionChange(change.id, ['pending'], 'expired', { updatedAt: now });
        if (!result.ok) continue;
        await audit(result.change, 'expired', { actor: result.change.requestedBy });
        expired.push(result.change);
      }
      return expired;
    },

    /** Prepares the inverse of an applied change as a new preview (administrators, within UNDO_WINDOW). */
    async previewUndo(id: string, by: ActingUser): Promise<Change> {
      const change = await load(id);
      if (!by.isAdmin || by.isGuest) throw new AppError('not_authorized', 'Only an administrator can undo a change');
      if (change.undoneBy) throw new AppError('change_already_decided', 'That change has already been undone');
      if (!change.appliedAt || !['applied', 'partially_applied'].includes(change.status)) {
        throw new AppError('change_not_found', 'Only an applied change can be undone', { changeId: id });
      }
      if (clock.now().getTime() - Date.parse(change.appliedAt) > deps.undoWindowMs) {
        throw new AppError('undo_window_passed', 'The undo window has passed', { appliedAt: change.appliedAt });
      }
      const changedKind = change.action === 'add' ? 'added' : 'removed';
      const people: PersonRef[] = (change.report?.outcomes ?? [])
        .filter((o) => o.outcome === changedKind)
        .map((o) => ({ kind: 'kantata_id', id: o.user.id, label: o.user.name }));
      if (people.length === 0) throw new AppError('nothing_to_change', 'That change changed nobody');
      const inverse: ChangeAction = change.action === 'add' ? 'remove' : 'add';
      // Undo is an administrator's correction: it previews and applies directly even under four-eyes.
      const undoBy: ActingUser = { ...by };
      const preview = await plan(inverse, change.group, people);
      const now = nowIso();
      const undo: Change = {
        id: newId(),
        status: 'previewed',
        action: inverse,
        group: preview.group,
        plan: preview,
        requestedBy: undoBy.actor,
        reason: `Undo of change ${change.id}`,
        undoOf: change.id,
        createdAt: now,
        updatedAt: now,
      };
      await store.createChange(undo);
      return undo;
    },

    /** Applies an undo preview. Undo bypasses the request flow: it is an administrator's own correction. */
    async applyUndo(id: string, by: ActingUser, hooks: ApplyHooks = {}): Promise<AppliedChange> {
      const change = await load(id);
      if (!change.undoOf) throw new AppError('change_not_found', 'That is not an undo', { changeId: id });
      if (!by.isAdmin || by.isGuest) throw new AppError('not_authorized', 'Only an administrator can undo a change');
      if (change.requestedBy.slackUserId !== by.actor.slackUserId) {
        throw new AppError('not_authorized', 'Only the person who made this preview can apply it');
      }
      const original = await load(change.undoOf);
      if (original.appliedAt && clock.now().getTime() - Date.parse(original.appliedAt) > deps.undoWindowMs) {
        throw new AppError('undo_window_passed', 'The undo window has passed', { appliedAt: original.appliedAt });
      }
      if (change.plan.toChange.length === 0) throw new AppError('nothing_to_change', 'Nothing to change');
      if (!(await store.claimKey(`undo:${change.undoOf}`, 365 * 86_400_000))) {
        throw new AppError('change_already_decided', 'That change has already been undone', { status: 'undone' });
      }
      const applying = await transition(id, ['previewed'], 'applying', { appliedBy: by.actor });
      return runApply(applying, by.actor, undefined, hooks, false);
    },

    /**
     * Finishes changes that a crash or a stop cut off while `applying` (SPEC §8): memberships are read
     * again and only what is still missing is applied, so nothing is applied twice and nothing is lost.
     */
    async resumeInterrupted(hooks: ApplyHooks = {}): Promise<AppliedChange[]> {
      const interrupted = await store.listChanges({ statuses: ['applying'] });
      const finished: AppliedChange[] = [];
      for (const change of interrupted) {
        finished.push(await runApply(change, change.appliedBy ?? change.requestedBy, change.decidedBy, hooks, true));
      }
      return finished;
    },

    getChange: load,
  };
}

export type ChangeService = ReturnType<typeof createChangeService>;

function decisionFacts(change: Change): Record<string, unknown> {
  const by = change.decidedBy ?? change.appliedBy;
  const at = change.decidedAt ?? change.appliedAt ?? change.updatedAt;
  return { ...(by ? { decidedBy: by } : {}), decidedAt: at };
}

/** Adds the people the plan found unchanged, so the report accounts for everyone the change named. */
function mergeOutcomes(outcomes: PersonOutcome[], plan: Plan): PersonOutcome[] {
  const seen = new Set(outcomes.map((o) => o.user.id));
  const unchangedKind = plan.action === 'add' ? 'already_member' : 'not_member';
  const unchanged = plan.unchanged
    .filter((user) => !seen.has(user.id))
    .map((user): PersonOutcome => ({ user, outcome: unchangedKind }));
  return [...outcomes, ...unchanged];
}
