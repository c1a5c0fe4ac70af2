import { hasWork, type WorkShape } from './expiry/has-work.js';
import type { OwnerPower } from './owners/types.js';
import type { Actor } from './types.js';

export type ApprovalPolicy = 'admins-direct' | 'four-eyes' | 'admins-only';

/** Who is acting, as established at the moment of the action (SPEC §2: never when the message was made). */
export type ActingUser = {
  actor: Actor;
  isAdmin: boolean;
  isGuest: boolean;
};

export type AllowedActions = {
  /** May apply a previewed change directly. */
  canApply: boolean;
  /** May turn a previewed change into a request for an administrator. */
  canRequest: boolean;
};

/**
 * What the policy lets this person do with a preview (SPEC §4.3 `APPROVAL_POLICY`). `owner`: their power
 * as an owner of the change's group (SPEC §4.8); `OWNERS_MAY=apply` makes them an administrator of that
 * group for their own changes (under `four-eyes` nobody applies directly, owners neither).
 */
export function allowedActions(
  policy: ApprovalPolicy,
  by: ActingUser,
  owner: OwnerPower = null,
): AllowedActions {
  if (by.isGuest) return { canApply: false, canRequest: false };
  const appliesDirectly = by.isAdmin || owner === 'apply';
  switch (policy) {
    case 'admins-direct':
      return { canApply: appliesDirectly, canRequest: !appliesDirectly };
    case 'four-eyes':
      return { canApply: false, canRequest: true };
    case 'admins-only':
      return { canApply: appliesDirectly, canRequest: false };
  }
}

/**
 * What this viewer may do with this preview now: only its maker, only while it is a preview with someone to
 * change; an undo applies directly for administrators whatever the policy (SPEC §4.4). The listeners show
 * buttons and "Applying…" from this, and the core checks the same when the click arrives.
 */
export function previewActions(
  policy: ApprovalPolicy,
  change: WorkShape & { status: string; undoOf?: string; requestedBy: Actor },
  by: ActingUser,
  owner: OwnerPower = null,
): AllowedActions {
  const open = change.status === 'previewed' && hasWork(change);
  if (!open || change.requestedBy.slackUserId !== by.actor.slackUserId)
    return { canApply: false, canRequest: false };
  if (change.undoOf) return { canApply: by.isAdmin && !by.isGuest, canRequest: false };
  return allowedActions(policy, by, owner);
}

/**
 * May this person decide (approve or deny) a request: an administrator, or an owner of its group while
 * owners may decide. Self-approval is checked separately.
 */
export function canDecide(by: ActingUser, owner: OwnerPower = null): boolean {
  return !by.isGuest && (by.isAdmin || owner !== null);
}
