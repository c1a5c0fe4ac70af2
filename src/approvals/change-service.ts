import { randomBytes } from 'node:crypto';
import { AppError } from '../membership/errors.js';
import type { ChangeAction, Group, PersonRef } from '../membership/types.js';
import {
  type ChangeServiceDeps,
  DEFAULT_LEASE_MS,
  DEFAULT_SYNC_INTERVAL_MS,
  DEFAULT_SYNC_MAX_REMOVALS,
} from './change-service-deps.js';
import { type AppliedChange, type ApplyHooks, createChangeSteps, isSamePerson } from './change-steps.js';
import { createExpiryOps, DEFAULT_MAX_MEMBERSHIP_MS } from './expiry/expiry-ops.js';
import { hasWork } from './expiry/has-work.js';
import { checkTerm } from './expiry/term.js';
import type { MembershipTerm } from './expiry/types.js';
import type { OwnerPower } from './owners/types.js';
import { type ActingUser, type AllowedActions, allowedActions, canDecide, previewActions } from './policy.js';
import { createStandingSyncOps } from './standing-sync/standing-sync-ops.js';
import type { SourceReader } from './standing-sync/types.js';
import { type Change, owedOnDecision, type SyncSource } from './types.js';
import { createUndoOps } from './undo.js';

export type { ChangeServiceDeps, MembershipOps } from './change-service-deps.js';
export {
  DEFAULT_LEASE_MS,
  DEFAULT_SYNC_INTERVAL_MS,
  DEFAULT_SYNC_MAX_REMOVALS,
} from './change-service-deps.js';
export type { AppliedChange, ApplyHooks } from './change-steps.js';

export type ApproveHooks = ApplyHooks & {
  /**
   * Called once the request is approved and before it is applied (to show "approved, applying…").
   * A failing hook never stops the apply.
   */
  onApproved?(change: Change): Promise<void> | void;
  /** Reads a standing sync's source now: Apply this run on a run held because it could not be read. */
  readSource?: SourceReader;
};

export type ResumeHooks = ApplyHooks & {
  /**
   * A change that could not be finished now; it stays where it was and is tried again at the next start.
   * Without it, `resumeInterrupted` finishes the others and then throws an AggregateError.
   */
  onError?(changeId: string, error: unknown): void;
};

/** The refusal for a request found past its deadline; `expiredNow` when this caller expired it. */
function expiredError(change: Change, expiredNow: boolean): AppError {
  return new AppError('change_expired', 'This request has expired', {
    changeId: change.id,
    expiredAt: change.expiresAt,
    expiredNow,
  });
}

/** Short, unguessable ids: they travel in button values and are typed by nobody. */
export function newChangeId(): string {
  return randomBytes(9).toString('base64url');
}

/**
 * The life of a change (SPEC §4.1, §4.3, §4.4 undo): preview, apply, request, approve, deny, cancel,
 * expire, undo, and finishing a change a crash cut off. Every step is an atomic status transition in
 * the store, so a double click, a Slack retry or a second replica can never take the same step twice,
 * and every step that decides or changes something writes an audit row.
 */
export function createChangeService(deps: ChangeServiceDeps) {
  const { store, clock } = deps;
  const newId = deps.newId ?? newChangeId;
  const owner = deps.owner ?? `process-${newChangeId()}`;
  const steps = createChangeSteps({ ...deps, newId, owner, leaseMs: deps.leaseMs ?? DEFAULT_LEASE_MS });
  const {
    nowIso,
    audit,
    load,
    transition,
    requireStatus,
    isOverdue,
    expire,
    plan,
    runApply,
    applyApproved,
    newLease,
    isRunningHere,
  } = steps;
  const undoOps = createUndoOps({ ...deps, newId }, steps);
  const standing = createStandingSyncOps(
    {
      ...deps,
      newId,
      owner,
      syncIntervalMs: deps.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS,
      syncMaxRemovals: deps.syncMaxRemovals ?? DEFAULT_SYNC_MAX_REMOVALS,
    },
    steps,
  );

  const expiryOps = createExpiryOps(
    { ...deps, newId, owner, leaseMs: deps.leaseMs ?? DEFAULT_LEASE_MS },
    steps,
  );

  /** What this person may do as an owner of the group, asked now (SPEC §4.8: checked at the click). */
  async function ownerPower(by: ActingUser, groupId: string): Promise<OwnerPower> {
    // What an administrator may do never depends on owning the group (policy.ts): no owners read (on
    // PostgreSQL a query for every preview an administrator makes).
    if (by.isAdmin) return null;
    return deps.owners ? deps.owners.ownerPower(by, groupId) : null;
  }

  /**
   * An owner's power over deciding this request: none for a standing sync's run held by the brake, which
   * only an administrator applies or skips (SPEC §4.7).
   */
  async function deciderPower(by: ActingUser, change: Change): Promise<OwnerPower> {
    if (by.isAdmin || change.standingSync?.brake) return null;
    return ownerPower(by, change.group.id);
  }

  /** A request found overdue when someone acts on it expires on the spot (the sweep may not have run yet). */
  async function refuseIfOverdue(change: Change): Promise<void> {
    if (!isOverdue(change)) return;
    const moved = await expire(change);
    // `expiredNow`: this caller expired it, so this caller announces it (a sweep that won announces itself).
    throw expiredError(change, moved !== null);
  }

  async function refuseDecisionBy(by: ActingUser, change: Change, verb: 'approve' | 'deny'): Promise<void> {
    // A preview nobody sent for approval (a forged or replayed button): say so, not "already handled".
    if (change.status === 'previewed') {
      throw new AppError('change_not_requested', `That change was never sent for approval`, {
        changeId: change.id,
      });
    }
    if (by.isGuest) throw new AppError('guest_not_allowed', `Guests cannot ${verb} requests`);
    if (!canDecide(by, await deciderPower(by, change))) {
      throw new AppError(
        'not_authorized',
        `Only an administrator${deps.owners ? ' or an owner of the group' : ''} can ${verb} requests`,
        deps.owners ? { reason: 'not_admin_or_owner', groupName: change.group.name } : {},
      );
    }
    if (isSamePerson(change.requestedBy, by.actor)) {
      throw new AppError(
        'self_approval_forbidden',
        verb === 'approve'
          ? 'You cannot approve your own request'
          : 'You cannot decide your own request; cancel it',
        { verb },
      );
    }
  }

  const service = {
    /** What this person may do with a preview under the configured policy. */
    allowedActions: (by: ActingUser) => allowedActions(deps.policy, by),

    /** What this viewer may do with this stored preview now (buttons, "Applying…"); the core decides. */
    previewActions: async (change: Change, by: ActingUser) =>
      previewActions(deps.policy, change, by, await ownerPower(by, change.group.id)),

    /** Whether this person may decide this request now (its Approve / Deny buttons on their Home tab). */
    async mayDecide(change: Change, by: ActingUser): Promise<boolean> {
      if (change.status !== 'pending' || isSamePerson(change.requestedBy, by.actor)) return false;
      return canDecide(by, await deciderPower(by, change));
    },

    /**
     * The pending requests this person may decide now: every request of someone else for administrators,
     * those for the groups they own for owners (SPEC §4.8), oldest first.
     */
    /** `owned`: the groups `by` owns, when the caller has just looked them up (not looked up twice). */
    async listDecidable(by: ActingUser, known: { owned?: Set<string> } = {}): Promise<Change[]> {
      if (by.isGuest) return [];
      const owned =
        by.isAdmin || !deps.owners ? null : (known.owned ?? (await deps.owners.ownedGroupIds(by)));
      if (!by.isAdmin && (!owned || owned.size === 0)) return [];
      const pending = await store.listChanges({ statuses: ['pending'] });
      return pending.filter(
        (c) =>
          !isSamePerson(c.requestedBy, by.actor) &&
          (owned === null || (owned.has(c.group.id) && !c.standingSync?.brake)),
      );
    },

    /** The groups this person owns now (empty without owners). */
    ownedGroupIds: async (by: ActingUser): Promise<Set<string>> =>
      deps.owners ? deps.owners.ownedGroupIds(by) : new Set<string>(),

    /**
     * Plans a change against Kantata's current state and stores it as a preview (nothing changes yet).
     * Comes back with what this viewer may do with it, so no transport re-derives the policy.
     */
    async previewChange(input: {
      by: ActingUser;
      action: ChangeAction;
      group: Group;
      /** For a sync: everyone in the source (SPEC §4.7). */
      people: PersonRef[];
      reason?: string;
      undoOf?: string;
      /** An add for a time (SPEC §4.6); none: permanent. */
      term?: MembershipTerm;
      /** A sync: where its people come from (shown back), `--add-only`, and `--keep` (administrators). */
      sync?: { source: SyncSource; addOnly: boolean; keep?: boolean };
    }): Promise<Change & { allowed: AllowedActions }> {
      if (input.by.isGuest) throw new AppError('guest_not_allowed', 'Guests cannot change groups');
      const power = await ownerPower(input.by, input.group.id);
      const allowed = allowedActions(deps.policy, input.by, power);
      if (!allowed.canApply && !allowed.canRequest) {
        throw new AppError('policy_forbids', 'Only administrators can change groups under this policy', {
          policy: deps.policy,
        });
      }
      if (input.term) {
        if (input.action !== 'add') {
          throw new AppError('invalid_input', 'Only an add can be for a time', {
            field: 'term',
            reason: 'remove',
          });
        }
        checkTerm(input.term, clock.now(), deps.maxMembershipMs ?? DEFAULT_MAX_MEMBERSHIP_MS);
      }
      if (input.sync?.keep && !input.by.isAdmin) {
        throw new AppError('not_authorized', 'Only an administrator can set up a standing sync', {
          reason: 'standing_sync',
        });
      }
      if ((input.action === 'sync') !== (input.sync !== undefined)) {
        throw new AppError('invalid_input', 'A sync needs its source, and only a sync has one', {
          field: 'sync',
        });
      }
      const preview =
        input.action === 'sync'
          ? await deps.membership.planSync(input.group, input.people, {
              addOnly: input.sync?.addOnly ?? false,
            })
          : await plan(input.action, input.group, input.people);
      // An add moves ends and a remove drops them (the preview says whose); a sync of thousands must not
      // read the ends of every member it leaves alone.
      const currentEnds = input.action !== 'sync' ? await expiryOps.currentEndsOf(preview) : undefined;
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
        ...(input.term ? { term: input.term } : {}),
        ...(input.sync ? { syncSource: input.sync.source } : {}),
        ...(input.sync?.keep ? { keep: true } : {}),
        ...(currentEnds ? { currentEnds } : {}),
        createdAt: now,
        updatedAt: now,
      };
      await store.createChange(change);
      return { ...change, allowed: previewActions(deps.policy, change, input.by, power) };
    },

    /**
     * Apply on a preview, the one entry for every transport: an undo preview is applied as an undo
     * (administrators, once, within UNDO_WINDOW), any other directly (administrators, under `admins-direct`
     * or `admins-only`). The core chooses; no listener does.
     */
    async apply(id: string, by: ActingUser, hooks: ApplyHooks = {}): Promise<AppliedChange> {
      const change = await load(id);
      if (change.undoOf) return undoOps.applyUndo(id, by, hooks);
      // Whose preview it is comes first: that is the true reason for anyone else, administrators included.
      if (change.requestedBy.slackUserId !== by.actor.slackUserId) {
        throw new AppError('not_authorized', 'Only the person who made this preview can apply it', {
          reason: 'not_preview_owner',
        });
      }
      if (!allowedActions(deps.policy, by, await ownerPower(by, change.group.id)).canApply) {
        throw new AppError('not_authorized', 'Only an administrator can apply a change directly', {
          policy: deps.policy,
        });
      }
      requireStatus(change, ['previewed']);
      if (!hasWork(change)) throw new AppError('nothing_to_change', 'Nothing to change');
      const applying = await transition(id, ['previewed'], 'applying', {
        appliedBy: by.actor,
        lease: newLease(),
      });
      return runApply(applying, { by: by.actor, hooks });
    },

    /** Turns a preview into a pending request for an administrator; it expires after REQUEST_TTL. */
    async requestChange(id: string, by: ActingUser): Promise<Change> {
      const change = await load(id);
      if (change.requestedBy.slackUserId !== by.actor.slackUserId) {
        throw new AppError(
          'not_authorized',
          'Only the person who made this preview can send it for approval',
          {
            reason: 'not_preview_owner',
          },
        );
      }
      if (!allowedActions(deps.policy, by, await ownerPower(by, change.group.id)).canRequest) {
        throw new AppError('policy_forbids', 'Requests are not allowed under this policy', {
          policy: deps.policy,
        });
      }
      requireStatus(change, ['previewed']);
      if (!hasWork(change)) throw new AppError('nothing_to_change', 'Nothing to change');
      const expiresAt = new Date(clock.now().getTime() + deps.requestTtlMs).toISOString();
      const pending = await transition(id, ['previewed'], 'pending', { expiresAt });
      await audit(pending, 'requested', { actor: by.actor });
      return pending;
    },

    /**
     * An administrator other than the requester approves a request (`pending → approved`, atomically:
     * of two simultaneous clicks exactly one gets here, the other gets `change_already_decided` naming the
     * winner). The change is then planned again against Kantata's current state and applied.
     */
    async approveRequest(id: string, by: ActingUser, hooks: ApproveHooks = {}): Promise<AppliedChange> {
      const change = await load(id);
      await refuseDecisionBy(by, change, 'approve');
      await refuseIfOverdue(change);
      // A run held because its source could not be read planned nothing: it is planned now, from the source
      // as it is now. Two clicks may both read; the transition below lets exactly one of them apply.
      const fresh =
        change.standingSync?.brake?.reason === 'unreadable_source'
          ? { plan: await standing.planHeldRun(change, hooks.readSource) }
          : {};
      const approved = await transition(id, ['pending'], 'approved', {
        ...fresh,
        decidedBy: by.actor,
        decidedAt: nowIso(),
        lease: newLease(),
      });
      await audit(approved, 'approved', { actor: change.requestedBy, approver: by.actor });
      try {
        await hooks.onApproved?.(approved);
      } catch {
        // Showing "applying…" is a courtesy; the approval has been taken and must be applied regardless.
      }
      return applyApproved(approved, by.actor, hooks);
    },

    /**
     * Throws the refusal `approveRequest` / `denyRequest` would give this person now, without deciding
     * anything (the Deny modal asks before it opens its form). An overdue request is not expired here.
     */
    async checkDecision(id: string, by: ActingUser, verb: 'approve' | 'deny'): Promise<void> {
      const change = await load(id);
      await refuseDecisionBy(by, change, verb);
      requireStatus(change, ['pending']);
      if (isOverdue(change)) throw expiredError(change, false);
    },

    /** An administrator other than the requester denies a request, with an optional reason. */
    async denyRequest(id: string, by: ActingUser, reason?: string): Promise<Change> {
      const change = await load(id);
      await refuseDecisionBy(by, change, 'deny');
      await refuseIfOverdue(change);
      const denied = await transition(id, ['pending'], 'denied', {
        decidedBy: by.actor,
        decidedAt: nowIso(),
        ...(reason ? { decisionReason: reason } : {}),
        outbox: owedOnDecision(),
      });
      await audit(denied, 'denied', {
        actor: change.requestedBy,
        approver: by.actor,
        reason: reason ?? change.reason,
      });
      return denied;
    },

    /**
     * Skip it on a standing sync's held run (SPEC §4.7): the run is skipped at the click, recorded and
     * announced as a decision without a reason; the next run goes ahead as usual. Only held runs.
     */
    async skipHeldRun(id: string, by: ActingUser): Promise<Change> {
      const change = await load(id);
      if (!change.standingSync?.brake) {
        throw new AppError('invalid_input', 'Only a held run of a standing sync can be skipped', {
          field: 'change',
        });
      }
      return service.denyRequest(id, by);
    },

    /** The requester withdraws a preview or a pending request. */
    async cancelChange(id: string, by: ActingUser): Promise<Change> {
      const change = await load(id);
      if (change.requestedBy.slackUserId !== by.actor.slackUserId) {
        throw new AppError('not_authorized', 'Only the requester can cancel this', {
          reason: change.status === 'previewed' ? 'not_preview_owner' : 'not_requester',
        });
      }
      await refuseIfOverdue(change);
      // From the status just read only: a withdrawn request owes its announcements, a dropped preview none.
      const wasRequest = change.status === 'pending';
      const cancelled = await transition(id, [wasRequest ? 'pending' : 'previewed'], 'cancelled', {
        decidedBy: by.actor,
        decidedAt: nowIso(),
        ...(wasRequest ? { outbox: owedOnDecision() } : {}),
      });
      // A withdrawn request is part of the record; a preview nobody acted on is not a change attempt.
      if (change.status === 'pending') await audit(cancelled, 'cancelled', { actor: by.actor });
      return cancelled;
    },

    /** Expires every pending request past its TTL (also those that expired while the bot was stopped). */
    async expireOverdue(): Promise<Change[]> {
      const pending = await store.listChanges({ statuses: ['pending'] });
      const expired: Change[] = [];
      for (const change of pending.filter(isOverdue)) {
        const moved = await expire(change);
        if (moved) expired.push(moved);
      }
      return expired;
    },

    ...undoOps,

    runDueSyncs: standing.runDueSyncs,
    listStandingSyncs: standing.listStandingSyncs,
    stopStandingSync: standing.stopStandingSync,

    endDue: expiryOps.endDue,
    claimDueReminders: expiryOps.claimDueReminders,
    markReminded: expiryOps.markReminded,
    extendableEnds: expiryOps.extendableEnds,
    listExpiring: expiryOps.listExpiring,

    /**
     * Takes over and finishes changes whose owner stopped working on them (SPEC §8): a crash, a stop, a
     * storage outage that let the lease lapse. Only changes whose lease has expired are taken, atomically,
     * so a change another process is still applying (a rolling deploy) is left to it. Approved but not yet
     * applied: planned again, then applied; `applying`: memberships are read again and only what is still
     * missing is applied. Nothing is applied twice and nothing is lost; one failure does not hold up the
     * others. Run at start and then periodically.
     */
    async resumeInterrupted(hooks: ResumeHooks = {}): Promise<AppliedChange[]> {
      const candidates = await store.listChanges({ statuses: ['approved', 'applying'] });
      const finished: AppliedChange[] = [];
      const errors: unknown[] = [];
      for (const candidate of candidates) {
        if (isRunningHere(candidate.id)) continue;
        try {
          const change = await store.claimChange(candidate.id, {
            lease: newLease(),
            now: nowIso(),
            statuses: ['approved', 'applying'],
          });
          // Another process holds a live lease (it is applying this change right now), or it just finished.
          if (!change) continue;
          finished.push(
            change.status === 'approved'
              ? await applyApproved(change, change.decidedBy ?? change.requestedBy, hooks)
              : await runApply(change, {
                  by: change.appliedBy ?? change.requestedBy,
                  ...(change.decidedBy ? { approver: change.decidedBy } : {}),
                  hooks,
                  resume: true,
                }),
          );
        } catch (error) {
          if (hooks.onError) hooks.onError(candidate.id, error);
          else errors.push(error);
        }
      }
      // Without `onError` nothing may go unnoticed: the others are finished first, then the failures thrown.
      if (errors.length > 0)
        throw new AggregateError(errors, `${errors.length} interrupted change(s) could not be finished`);
      return finished;
    },

    getChange: load,
  };
  return service;
}

export type ChangeService = ReturnType<typeof createChangeService>;
