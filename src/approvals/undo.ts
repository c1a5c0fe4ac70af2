import { AppError } from '../membership/errors.js';
import type { ChangeAction, PersonRef } from '../membership/types.js';
import type { ChangeServiceDeps } from './change-service-deps.js';
import { type AppliedChange, type ApplyHooks, type createChangeSteps, workCount } from './change-steps.js';
import type { ActingUser } from './policy.js';
import type { Change } from './types.js';

/** Claims on "this change has been undone" never lapse in practice. */
const UNDO_CLAIM_TTL_MS = 365 * 86_400_000;

/**
 * Undo (SPEC §4.4): an administrator reverses an applied change within UNDO_WINDOW, once, through the
 * same preview-then-apply path as any change: the inverse is planned against Kantata's current state.
 */
export function createUndoOps(
  deps: ChangeServiceDeps & { newId: () => string },
  steps: ReturnType<typeof createChangeSteps>,
) {
  const { store, clock, newId } = deps;
  const { nowIso, load, transition, requireStatus, plan, planBoth, runApply, newLease } = steps;

  return {
    /** Prepares the inverse of an applied change as a new preview (administrators, within UNDO_WINDOW). */
    async previewUndo(id: string, by: ActingUser): Promise<Change> {
      const change = await load(id);
      if (!by.isAdmin || by.isGuest)
        throw new AppError('not_authorized', 'Only an administrator can undo a change');
      if (change.undoneBy) throw undone(change.undoneBy);
      // An ended access is put back by an administrator adding people for a new time (SPEC §4.6).
      if (change.expiry) {
        throw new AppError(
          'not_authorized',
          'An ended access cannot be undone; add the people back with --for',
          {
            reason: 'access_ended',
          },
        );
      }
      if (!change.appliedAt || !['applied', 'partially_applied'].includes(change.status)) {
        throw new AppError('change_not_found', 'Only an applied change can be undone', { changeId: id });
      }
      if (clock.now().getTime() - Date.parse(change.appliedAt) > deps.undoWindowMs) {
        throw new AppError('undo_window_passed', 'The undo window has passed', {
          appliedAt: change.appliedAt,
        });
      }
      const outcomes = change.report?.outcomes ?? [];
      const added = outcomes.filter((o) => o.outcome === 'added').map((o) => o.user);
      const removed = outcomes.filter((o) => o.outcome === 'removed').map((o) => o.user);
      if (added.length + removed.length === 0)
        throw new AppError('nothing_to_change', 'That change changed nobody');
      // The inverse of a sync is a sync of exact lists: who it added leaves, who it removed comes back.
      const inverse: ChangeAction =
        change.action === 'sync' ? 'sync' : change.action === 'add' ? 'remove' : 'add';
      const people: PersonRef[] = [...added, ...removed].map((u) => ({
        kind: 'kantata_id',
        id: u.id,
        label: u.name,
      }));
      const preview =
        inverse === 'sync'
          ? await planBoth(change.group, removed, added)
          : await plan(inverse, change.group, people);
      const now = nowIso();
      // Undo is an administrator's correction: it previews and applies directly even under four-eyes.
      const undo: Change = {
        id: newId(),
        status: 'previewed',
        action: inverse,
        group: preview.group,
        plan: preview,
        requestedBy: by.actor,
        reason: `Undo of change ${change.id}`,
        undoOf: change.id,
        ...(change.syncSource ? { syncSource: change.syncSource } : {}),
        createdAt: now,
        updatedAt: now,
      };
      await store.createChange(undo);
      return undo;
    },

    /** Applies an undo preview, once per undone change, within UNDO_WINDOW. */
    async applyUndo(id: string, by: ActingUser, hooks: ApplyHooks = {}): Promise<AppliedChange> {
      const change = await load(id);
      if (!change.undoOf) throw new AppError('change_not_found', 'That is not an undo', { changeId: id });
      if (!by.isAdmin || by.isGuest)
        throw new AppError('not_authorized', 'Only an administrator can undo a change');
      if (change.requestedBy.slackUserId !== by.actor.slackUserId) {
        throw new AppError('not_authorized', 'Only the person who made this preview can apply it', {
          reason: 'not_preview_owner',
        });
      }
      requireStatus(change, ['previewed']);
      const original = await load(change.undoOf);
      if (original.undoneBy) throw undone(original.undoneBy);
      if (original.appliedAt && clock.now().getTime() - Date.parse(original.appliedAt) > deps.undoWindowMs) {
        throw new AppError('undo_window_passed', 'The undo window has passed', {
          appliedAt: original.appliedAt,
        });
      }
      if (workCount(change.plan) === 0) throw new AppError('nothing_to_change', 'Nothing to change');
      // Two admins may each have an undo preview of the same change: the claim lets exactly one apply.
      // One claim per attempt: an undo that changed nobody does not use up the Undo of the change.
      if (!(await store.claimKey(undoClaimKey(original), UNDO_CLAIM_TTL_MS))) {
        throw new AppError('change_already_decided', 'That change has already been undone', {
          status: 'undone',
        });
      }
      const applying = await transition(id, ['previewed'], 'applying', {
        appliedBy: by.actor,
        lease: newLease(),
      });
      return runApply(applying, { by: by.actor, hooks });
    },
  };
}

/** The claim of the next undo attempt of `original` (a failed attempt moves it on). */
function undoClaimKey(original: Pick<Change, 'id' | 'undoFailures'>): string {
  const attempt = original.undoFailures ?? 0;
  return attempt === 0 ? `undo:${original.id}` : `undo:${original.id}:${attempt}`;
}

function undone(undoneBy: string): AppError {
  return new AppError('change_already_decided', 'That change has already been undone', {
    status: 'undone',
    undoneBy,
  });
}
