/** Domain types of the membership core. No Slack, HTTP or storage concepts here. */

/** A Kantata user as the core sees it. Ids are strings, as Kantata sends them. */
export type KantataUser = {
  id: string;
  name: string;
  email: string;
  /** True when the user's account membership is inactive (Kantata `disabled_at` set). */
  disabled: boolean;
  /** True when the account membership says administrator (`is_administrator` or `permission === "administrator"`). */
  isAdministrator: boolean;
};

/** A Kantata Workspace Group. */
export type Group = {
  id: string;
  name: string;
};

/** One row of `user_group_memberships`. */
export type Membership = {
  id: string;
  userId: string;
  groupId: string;
};

/** `sync`: make the group's members those of a source, adding and removing in one change (SPEC §4.7). */
export type ChangeAction = 'add' | 'remove' | 'sync';

/** How a person was named by whoever asked for the change, once the transport has reduced it to Kantata terms. */
export type PersonRef =
  | { kind: 'email'; email: string; label?: string }
  | { kind: 'kantata_id'; id: string; label?: string }
  /**
   * Named somewhere (Slack) but could not be reduced to an email or id; carried so the preview can say why.
   * `email`, when the source knows it (a guest's), lets a sync keep a member with that email: an unresolved
   * source person never causes a removal.
   */
  | { kind: 'unresolvable'; label: string; reason: UnresolvedReason; detail?: string; email?: string };

/**
 * Why someone named cannot be part of a change. One list, so the store's schema reads back every reason the
 * core can give (a stored preview with a reason missing from the schema would not load).
 */
export const UNRESOLVED_REASON_CODES = [
  'no_kantata_user',
  'disabled',
  'several_matches',
  'no_slack_email',
  'guest',
  'bot',
  'deactivated_slack_user',
  'unknown_slack_user',
  // Someone of another organization (a shared channel): their email is not this organization's to match.
  'external_user',
  'email_domain_not_allowed',
  // Kept so previews stored before channels were supported still load.
  'channel_not_supported',
  // A channel whose members the bot cannot read (a private channel it is not in).
  'channel_not_visible',
  'invalid',
] as const;

export type UnresolvedReason = (typeof UNRESOLVED_REASON_CODES)[number];

/** Someone the request named who cannot be part of the change, with why. */
export type Unresolved = {
  /** What the requester wrote or picked, in a form fit to show back (an email, `id:12`, a Slack name). */
  label: string;
  reason: UnresolvedReason;
  detail?: string;
};

/** A preview: what applying would do, computed from Kantata's current state. */
export type Plan = {
  action: ChangeAction;
  group: Group;
  /** People the change will add (action add) or remove (action remove). */
  toChange: KantataUser[];
  /** Already members (add, sync) or not members (remove): nothing to do for them. */
  unchanged: KantataUser[];
  unresolved: Unresolved[];
  /** Sync only: members not in the source, to remove. */
  toRemove?: KantataUser[];
  /**
   * Sync only: members not in the source who stay: with `addOnly`, or because a source person who could not
   * be resolved may be one of them (an unresolved source person never causes a removal).
   */
  kept?: KantataUser[];
  /** Sync only: `--add-only`, nobody is removed. */
  addOnly?: boolean;
};

export type PersonOutcomeKind = 'added' | 'already_member' | 'removed' | 'not_member' | 'failed';

export type PersonOutcome = {
  user: KantataUser;
  outcome: PersonOutcomeKind;
  /** Kantata's own message, for `failed`. */
  reason?: string;
};

/** The per-person result of applying a plan. */
export type ApplyReport = {
  action: ChangeAction;
  group: Group;
  outcomes: PersonOutcome[];
  unresolved: Unresolved[];
};

/** Progress of an apply, for "Adding 400 of 1,000". */
export type ApplyProgress = { done: number; total: number };
